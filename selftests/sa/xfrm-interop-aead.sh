#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfsec against the kernel's own IPsec (XFRM), same keys on both sides: the
# combined-mode (AEAD) ESP transforms, tunnel and transport mode, IPv4 and
# IPv6, both directions. AES-GCM with a 16-byte ICV gets every check
# (pair_matrix full); the other key sizes and ICV lengths, ChaCha20-Poly1305
# and AES-GMAC get the light set.
#
#   a (nfsec: ipsecctl)  10.0.0.1 fd00::1 --veth-- 10.0.0.2 fd00::2  b (XFRM: ip xfrm)
#
# nfsec is loaded in every namespace, but b has no nfsec policy or SA: its
# ESP goes to XFRM, as if nfsec were not there.
# nfsec-test: slow (make check-slow; too long for CI's 90 minutes, see testing.md)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
. "$(dirname "$0")/interop.bash"
pair_start

pair_matrix full aes128gcm16
pair_matrix light aes256gcm12 aes192gcm8 chacha20poly1305 aes128gmac
pair_no_xfrm_errors
