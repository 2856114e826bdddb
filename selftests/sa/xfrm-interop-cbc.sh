#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfsec against the kernel's own IPsec (XFRM), same keys on both sides: ESP
# with AES-CBC and HMAC-SHA-2 (XFRM's authenc), tunnel and transport mode,
# IPv4 and IPv6, both directions. AES-128-CBC + HMAC-SHA-256 gets every
# check (pair_matrix full); AES-256-CBC + HMAC-SHA-512 (a longer key and
# ICV) gets the light set.
#
#   a (nfsec: ipsecctl)  10.0.0.1 fd00::1 --veth-- 10.0.0.2 fd00::2  b (XFRM: ip xfrm)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
. "$(dirname "$0")/interop.bash"
pair_start

pair_matrix full aes128-sha256
pair_matrix light aes256-sha512
pair_no_xfrm_errors
