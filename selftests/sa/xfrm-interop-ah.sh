#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfsec against the kernel's own IPsec (XFRM), same keys on both sides: AH
# with HMAC-SHA-2, tunnel and transport mode, IPv4 and IPv6, both
# directions. HMAC-SHA-256 gets every check (pair_matrix full); SHA-384 and
# SHA-512 (longer ICVs, padded to 8 bytes in IPv6) get the light set.
#
#   a (nfsec: ipsecctl)  10.0.0.1 fd00::1 --veth-- 10.0.0.2 fd00::2  b (XFRM: ip xfrm)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
. "$(dirname "$0")/interop.bash"
pair_start

pair_matrix full ah-sha256
pair_matrix light ah-sha384 ah-sha512
pair_no_xfrm_errors
