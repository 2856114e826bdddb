#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# nfsec against XFRM with mixed families: IPv4 inside an IPv6 tunnel and
# IPv6 inside an IPv4 tunnel, gateway to gateway (the hosts' traffic is
# forwarded by both gateways), ESP AES-GCM, ESP AES-CBC with HMAC-SHA-256
# and AH; ping, large pings, ICMP too-big, TCP both ways compared byte for
# byte, UDP both ways. The topology is gateway-interop.sh's (topo_gateways
# in interop.bash): ha - ga (nfsec) - r - gb (XFRM) - hb, every link IPv4
# and IPv6.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
. "$(dirname "$0")/interop.bash"
gw_start

for name in aes128gcm16 aes128-sha256 ah-sha256; do
	for fams in "4 6" "6 4"; do
		read -r inner outer <<<"$fams"
		what="$name IPv$inner-in-IPv$outer"
		check "$what: SAs and policies install on both gateways" gw_case $name $inner $outer
		gw_traffic "$what" $inner
	done
done

gw_reset
check_eq "XFRM on gb saw no ESP/AH errors" "" "$(xfrm_wire_errors gb)"
log "XFRM sequence errors on gb: $(xfrm_seq_errors gb)"
