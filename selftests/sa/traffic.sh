#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SAs on the packet path over their life: the packet held by an ACQUIRE is
# delivered once the SA is added; packet lifetimes fire soft and hard EXPIRE
# events at the configured counts; an SA deleted under traffic; ESP in UDP
# (RFC 3948) against XFRM's "encap espinudp", also on a port that a userspace
# socket (an IKE daemon's) holds, which nfsec adopts.
#
#   a (nfsec) 10.0.0.1 --veth-- 10.0.0.2 b (XFRM)
#
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
	n b ip xfrm policy add dir in src $A dst $B priority 100 \
		tmpl src $A dst $B proto esp reqid 1 mode tunnel &&
	n b ip xfrm policy add dir out src $B dst $A priority 100 \
		tmpl src $B dst $A proto esp reqid 1 mode tunnel
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
# A loaded debug kernel is slow: the receiver waits 60 s, the held packet
# up to 120 s (30 s by default) for its SA.
echo 120000 >/sys/module/nfsec/parameters/larval_timeout_ms
ip netns exec b timeout 60 socat -u UDP4-RECV:9100,reuseaddr "OPEN:$_tmp/held,creat" &
recv=$!
_bg+=($recv)
_listening b u 9100 4
echo held-datagram | n a socat -u STDIN UDP4:$B:9100
check "the datagram raised an ACQUIRE" wait_for 5 grep -q '"event":"acquire"' "$_tmp/mon"
check_eq "and is held, one larval entry" 1 "$(spd_stat a .larval)"
check "the SAs are added" both sa_in_a sa_out_a
check "the held datagram reaches b" _received $recv "$_tmp/held" held-datagram 50
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

# --- ESP in UDP (RFC 3948) against XFRM -------------------------------------
flush_all
# XFRM takes ESP in UDP only from a socket with UDP_ENCAP set (an IKE
# daemon's): a small Python one holds it on b's port 4500 (xfrm_encap_sock
# 4|6, for two minutes; its pid in $xsock). The outer datagram meets b's
# inbound policy before the socket: an IKE daemon sets a bypass socket
# policy, a global "allow" (before the tunnel's) does it here.
# (ip netns exec, not n: $! must be Python itself, to be stopped below.)
xfrm_encap_sock() {
	ip netns exec b python3 -c '
import socket, sys, time
v6 = sys.argv[1] == "6"
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
if v6:
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s.setsockopt(socket.IPPROTO_UDP, 100, 2)	# UDP_ENCAP, UDP_ENCAP_ESPINUDP
s.bind(("::" if v6 else "0.0.0.0", 4500))
time.sleep(120)' "$1" &
	xsock=$!
	_bg+=($xsock)
	_listening b u 4500 "$1"
}
xfrm_encap_sock 4
n b ip xfrm policy add dir in proto udp sport 4500 dport 4500 priority 10 action allow
check "XFRM on b with encap espinudp 4500 4500" xfrm_b encap espinudp 4500 4500 0.0.0.0
natt_a() {
	sa_in_a encap espinudp 4500 4500 && sa_out_a encap espinudp 4500 4500 &&
		policies_a
}
check "nfsec on a with encap espinudp 4500 4500" natt_a
check "nfsec listens on UDP 4500 for its inbound SA" _listening a u 4500 4
n a tcpdump -q -n -i eth-b -c 2 -w "$_tmp/udp.pcap" udp port 4500 2>/dev/null &
_bg+=($!)
sleep 1
check "a pings b through ESP in UDP" ping_ok a $B
check "b pings a through ESP in UDP" ping_ok b $A
check "TCP a -> b" tcp_ok a b $B 9200
check "TCP b -> a" tcp_ok b a $A 9201
udp_on_wire() { tcpdump -r "$_tmp/udp.pcap" -n 2>/dev/null | grep -q 'UDP-encap'; }
check "what went over the wire was ESP in UDP 4500" wait_for 5 udp_on_wire
check "a's inbound SA counted b's packets" \
	test "$(n a ipsecctl -j -s sa list | jq -r "select(.spi == $((0x200))) | .stats.packets")" -gt 0

# --- ESP in UDP on a port a userspace socket holds (an IKE daemon's) -------
# A Python socket on a's UDP 4501, IPv4 and IPv6 (V6ONLY), as ikev2d holds
# 4500: nfsec adopts the port instead of failing with EADDRINUSE. ESP for
# nfsec's SA is taken by nfsec, IKE (the non-ESP marker) reaches the
# socket, a keepalive reaches neither.
flush_all
# b's XFRM socket again (the one above may have timed out under load)
kill $xsock 2>/dev/null || true
wait $xsock 2>/dev/null || true
xfrm_encap_sock 4
n a python3 -c '
import select, socket, sys, time
s4 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s4.bind(("0.0.0.0", 4501))
s6 = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
s6.bind(("::", 4501))
out = open(sys.argv[1], "a", buffering=1)
end = time.time() + 120
while time.time() < end:
    for s in select.select([s4, s6], [], [], 1)[0]:
        d, peer = s.recvfrom(65536)
        out.write("%s %s\n" % (peer[0], d.hex()))' "$_tmp/ike4501" &
_bg+=($!)
_listening a u 4501 4
_listening a u 4501 6
# b's side: its XFRM socket is still on 4500; a's port is now 4501.
check "XFRM on b with encap espinudp to a's 4501" \
	xfrm_b_states encap espinudp 4501 4500 0.0.0.0
n b ip xfrm state del src $B dst $A proto esp spi 0x200
n b ip xfrm state add src $B dst $A proto esp spi 0x200 reqid 1 mode tunnel \
	aead "$GCM" $KI 128 encap espinudp 4500 4501 0.0.0.0
n b ip xfrm policy add dir in src $A dst $B priority 100 \
	tmpl src $A dst $B proto esp reqid 1 mode tunnel
n b ip xfrm policy add dir out src $B dst $A priority 100 \
	tmpl src $B dst $A proto esp reqid 1 mode tunnel
# the outer datagrams and the test's IKE ones pass both SPDs in the clear
n b ip xfrm policy add dir in proto udp sport 4501 dport 4500 priority 10 action allow
n b ip xfrm policy add dir out proto udp dport 4501 priority 10 action allow
adopt_a() {
	sa_in_a encap espinudp 4500 4501 && sa_out_a encap espinudp 4501 4500 && policies_a &&
	n a ipsecctl policy add dir in src $B dst $A proto udp dport 4501 priority 10 \
		action bypass >/dev/null
}
check "nfsec adopts UDP 4501 held by a userspace socket (IPv4)" adopt_a
check "nfsec adopts UDP 4501 held by a userspace socket (IPv6)" \
	n a ipsecctl sa add dir in spi 0x300 src fd00::2 dst fd00::1 ipsec esp mode tunnel \
	reqid 2 aead "$GCM" $KI 128 encap espinudp 4500 4501
check "a pings b through ESP in UDP to the adopted port" ping_ok a $B
check "b pings a through ESP in UDP to the adopted port" ping_ok b $A
check "TCP b -> a through the adopted port" tcp_ok b a $A 9202
# IKE with the non-ESP marker, and a keepalive, from b to a's 4501
n b python3 -c '
import socket
for fam, dst in ((socket.AF_INET, "10.0.0.1"), (socket.AF_INET6, "fd00::1")):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.sendto(b"\xff", (dst, 4501))
    s.sendto(b"\0\0\0\0ike-" + fam.name.encode(), (dst, 4501))'
ike_reached() { [ "$(grep -c '^.* 00000000696b652d' "$_tmp/ike4501")" = 2 ]; }
check "IKE (non-ESP marker) reached the socket, IPv4 and IPv6" wait_for 5 ike_reached
check_eq "neither ESP nor keepalives reached the socket" 2 "$(wc -l < "$_tmp/ike4501")"

# --- ESP in UDP over IPv6 against XFRM ----------------------------------------
# Over IPv6 the UDP checksum is not optional (RFC 8200 §8.1): XFRM's
# encapsulation socket drops a datagram whose checksum is 0, so nfsec
# computes it over the ciphertext. Neighbours are set by hand: the SAs'
# selectors (the two hosts) would otherwise take in Neighbor Advertisements.
flush_all
A6=fd00::1 B6=fd00::2
n a ip -6 neigh replace $B6 lladdr "$(n b cat /sys/class/net/eth-a/address)" dev eth-b nud permanent
n b ip -6 neigh replace $A6 lladdr "$(n a cat /sys/class/net/eth-b/address)" dev eth-a nud permanent
xfrm_encap_sock 6
xfrm_b6() {
	n b ip xfrm state add src $A6 dst $B6 proto esp spi 0x600 reqid 6 mode tunnel \
		replay-window 64 aead "$GCM" $KO 128 encap espinudp 4500 4500 :: &&
	n b ip xfrm state add src $B6 dst $A6 proto esp spi 0x700 reqid 6 mode tunnel \
		aead "$GCM" $KI 128 encap espinudp 4500 4500 :: &&
	n b ip xfrm policy add dir in src ::/0 dst ::/0 proto udp sport 4500 dport 4500 \
		priority 10 action allow &&
	n b ip xfrm policy add dir in src $A6 dst $B6 priority 100 \
		tmpl src $A6 dst $B6 proto esp reqid 6 mode tunnel &&
	n b ip xfrm policy add dir out src $B6 dst $A6 priority 100 \
		tmpl src $B6 dst $A6 proto esp reqid 6 mode tunnel
}
natt6_a() {
	n a ipsecctl sa add dir out spi 0x600 src $A6 dst $B6 ipsec esp mode tunnel reqid 6 \
		aead "$GCM" $KO 128 encap espinudp 4500 4500 &&
	n a ipsecctl sa add dir in spi 0x700 src $B6 dst $A6 ipsec esp mode tunnel reqid 6 \
		aead "$GCM" $KI 128 replay-window 64 encap espinudp 4500 4500 &&
	n a ipsecctl policy add dir out src $A6 dst $B6 priority 100 \
		action protect ipsec esp mode tunnel tunnel $A6 $B6 reqid 6 >/dev/null &&
	n a ipsecctl policy add dir in src $B6 dst $A6 priority 100 \
		action protect ipsec esp mode tunnel tunnel $B6 $A6 reqid 6 >/dev/null
}
check "XFRM on b with encap espinudp 4500 4500, IPv6" xfrm_b6
check "nfsec on a with encap espinudp 4500 4500, IPv6" natt6_a
n a tcpdump -q -n -vv -i eth-b -c 4 -w "$_tmp/udp6.pcap" ip6 and udp port 4500 2>/dev/null &
_bg+=($!)
sleep 1
check "a pings b through ESP in UDP over IPv6" ping_ok a $B6
check "b pings a through ESP in UDP over IPv6" ping_ok b $A6
check "TCP a -> b over IPv6" tcp_ok a b $B6 9203
check "TCP b -> a over IPv6" tcp_ok b a $A6 9204
sums_ok() { [ "$(tcpdump -r "$_tmp/udp6.pcap" -n -vv 2>/dev/null | grep -c 'udp sum ok')" -ge 2 ]; }
check "nfsec's and XFRM's datagrams carry valid UDP checksums" wait_for 5 sums_ok
