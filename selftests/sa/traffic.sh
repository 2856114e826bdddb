#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SAs on the packet path over their life: the packet held by an ACQUIRE is
# delivered once the SA is added; packet lifetimes fire soft and hard EXPIRE
# events at the configured counts; an SA deleted under traffic.
#
#   a (nfsec) 10.0.0.1 --veth-- 10.0.0.2 b (XFRM)
#
# nfsec-test: debug
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../spd/traffic.bash"
trap '_traffic_cleanup; _cleanup' EXIT

topo_pair
nfsec_load
A=10.0.0.1 B=10.0.0.2
KO=0x000102030405060708090a0b0c0d0e0f10111213	# a -> b
KI=0x100102030405060708090a0b0c0d0e0f10111213	# b -> a
GCM="rfc4106(gcm(aes))"

flush_all() {
	n a ipsecctl sa flush
	n a ipsecctl policy flush
	n b ip xfrm state flush
	n b ip xfrm policy flush
}

# b: XFRM tunnel with a, SPIs 0x100 (a -> b) and 0x200 (b -> a). ENCAP:
# the extra "encap espinudp ..." arguments of both states.
xfrm_b_states() { # [ENCAP...]
	n b ip xfrm state add src $A dst $B proto esp spi 0x100 reqid 1 mode tunnel \
		replay-window 64 aead "$GCM" $KO 128 "$@" &&
	n b ip xfrm state add src $B dst $A proto esp spi 0x200 reqid 1 mode tunnel \
		aead "$GCM" $KI 128 "$@"
}
xfrm_b() { # [ENCAP...]
	xfrm_b_states "$@" &&
	n b ip xfrm policy add dir in src $A dst $B tmpl src $A dst $B proto esp reqid 1 mode tunnel &&
	n b ip xfrm policy add dir out src $B dst $A tmpl src $B dst $A proto esp reqid 1 mode tunnel
}

policies_a() {
	n a ipsecctl policy add dir out src $A dst $B priority 100 \
		action protect ipsec esp mode tunnel tunnel $A $B reqid 1 >/dev/null &&
	n a ipsecctl policy add dir in src $B dst $A priority 100 \
		action protect ipsec esp mode tunnel tunnel $B $A reqid 1 >/dev/null
}

sa_out_a() { # [OPTIONS...]
	n a ipsecctl sa add dir out spi 0x100 src $A dst $B ipsec esp mode tunnel reqid 1 \
		aead "$GCM" $KO 128 "$@"
}
sa_in_a() { # [OPTIONS...]
	n a ipsecctl sa add dir in spi 0x200 src $B dst $A ipsec esp mode tunnel reqid 1 \
		aead "$GCM" $KI 128 replay-window 64 "$@"
}

# --- ACQUIRE, then the SA: the held datagram arrives -----------------------
flush_all
both() { "$1" && "$2"; }
check "b is ready, a has policies but no SA" both xfrm_b policies_a
monitor_start a "$_tmp/mon"
ip netns exec b timeout 20 socat -u UDP4-RECV:9100,reuseaddr "OPEN:$_tmp/held,creat" &
recv=$!
_bg+=($recv)
_listening b u 9100 4
echo held-datagram | n a socat -u STDIN UDP4:$B:9100
check "the datagram raised an ACQUIRE" wait_for 5 grep -q '"event":"acquire"' "$_tmp/mon"
check_eq "and is held, one larval entry" 1 "$(spd_stat a .larval)"
check "the SAs are added" both sa_in_a sa_out_a
check "the held datagram reaches b" _received $recv "$_tmp/held" held-datagram
check_eq "no larval entry is left" 0 "$(spd_stat a .larval)"

# --- lifetimes ------------------------------------------------------------
flush_all
xfrm_b && policies_a
check "an SA with packet lifetimes soft 5, hard 10" \
	sa_out_a lifetime soft packets 5 hard packets 10
sa_in_a
acquires() { grep -ac '"event":"acquire"' "$_tmp/mon"; }
more_acquires() { [ "$(acquires)" -gt "$before" ]; }
before=$(acquires)
n a ping -q -c 12 -i 0.1 -W 1 $B >/dev/null 2>&1 || true
# The reasons of the EXPIREs of a's outbound SA of one kind (soft, hard).
ev() { grep -a '"event":"expire"' "$_tmp/mon" | jq -r "select(.sa.spi == $((0x100)) and .kind == \"$1\") | .reason"; }
expired() { [ "$(ev "$1" | head -1)" = packets ]; }
check "a soft EXPIRE for the packet count" wait_for 5 expired soft
check "a hard EXPIRE for the packet count" wait_for 5 expired hard
check_fail "the hard-expired SA is gone" q n a ipsecctl sa get spi 0x100 dst $B ipsec esp
check "the packets after it asked for a new SA" wait_for 5 more_acquires

# --- delete under traffic ---------------------------------------------------
flush_all
xfrm_b && policies_a && sa_out_a && sa_in_a
n a ping -q -f -w 4 $B >/dev/null 2>&1 &
flood=$!
sleep 1
check "the outbound SA is deleted while a floods b" q n a ipsecctl sa del spi 0x100 dst $B ipsec esp
check "the inbound SA too" q n a ipsecctl sa del spi 0x200 dst $A ipsec esp
wait $flood || true
check "a's SAD is empty" test -z "$(n a ipsecctl sa list)"
# New SAs with the same SPIs start their sequence numbers again: so must b's.
n b ip xfrm state flush
check "b gets new XFRM states" xfrm_b_states
check "a new SA pair carries traffic again" both sa_in_a sa_out_a
check "ping through the new SAs" ping_ok a $B
