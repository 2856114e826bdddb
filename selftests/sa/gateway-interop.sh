#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfsec against the kernel's own IPsec (XFRM), gateway to gateway: a tunnel
# between ga (nfsec: ipsecctl) and gb (XFRM: ip xfrm) through a router r
# that knows only the gateways' outside networks, protecting the traffic
# of the hosts behind them. Every packet between ha and hb is forwarded by
# both gateways (nfsec's FORWARD path, XFRM's fwd policy). ESP AES-GCM,
# ESP AES-CBC with HMAC-SHA-256, and AH, IPv4 in IPv4 and IPv6 in IPv6;
# ping, large pings (fragmented on the gateway), ICMP too-big, TCP both
# ways compared byte for byte, UDP both ways.
#
#   ha 10.1.0.2      ga (nfsec)           r             gb (XFRM)      10.2.0.2 hb
#      fd01::2 -- 10.1.0.1 | 192.168.1.1 -- .1.2 | .2.2 -- 192.168.2.1 | 10.2.0.1 -- fd02::2
#                  fd01::1 | fd10:1::1  fd10:1::2 | fd10:2::2  fd10:2::1 | fd02::1
#
# nfsec is loaded in every namespace, but only ga has policies and SAs.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
. "$(dirname "$0")/interop.bash"
gw_start

for name in aes128gcm16 aes128-sha256 ah-sha256; do
	for fam in 4 6; do
		what="$name IPv$fam-in-IPv$fam"
		check "$what: SAs and policies install on both gateways" gw_case $name $fam $fam
		gw_traffic "$what" $fam
	done
done

gw_reset
check_eq "XFRM on gb saw no ESP/AH errors" "" "$(xfrm_wire_errors gb)"
log "XFRM sequence errors on gb: $(xfrm_seq_errors gb)"
