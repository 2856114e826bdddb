#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The design deck's Security Gateway SPD, enforced on real traffic, IPv4
# and IPv6, on a forwarding gateway (r) and on a host (b).
#
#   clients 10.1.0.0/24, fd01::/64            servers 10.2.0.0/24, fd02::/64
#   a 10.1.0.2 --- eth-a 10.1.0.1 [ r ] 10.2.0.1 eth-b --- b 10.2.0.2
#                  fd01::1        SG   fd02::1             fd02::2
#
# r's SPD (the deck's SG): BYPASS IKE (UDP 500/4500 to and from r); PROTECT
# the clients' traffic towards the servers (ESP tunnel r <-> b, one SA per
# client: pfp src); BYPASS UDP 5353 in both directions as a visible
# exception; DISCARD the rest. b's SPD (a host): BYPASS IKE, inbound PROTECT
# for TCP 7001, DISCARD the rest.
#
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/traffic.bash"
trap '_traffic_cleanup; _cleanup' EXIT

topo_router
nfsec_load
# This test is slow on a loaded machine: keep ACQUIREs pending throughout.
echo 600000 >/sys/module/nfsec/parameters/larval_timeout_ms

cat >"$_tmp/sg.conf" <<EOC
# IPv6 neighbour discovery (RS, RA, NS, NA) must pass, or IPv6 stops
dir in  proto ipv6-icmp type 133 priority 10 action bypass
dir in  proto ipv6-icmp type 134 priority 10 action bypass
dir in  proto ipv6-icmp type 135 priority 10 action bypass
dir in  proto ipv6-icmp type 136 priority 10 action bypass
dir out proto ipv6-icmp type 133 priority 10 action bypass
dir out proto ipv6-icmp type 134 priority 10 action bypass
dir out proto ipv6-icmp type 135 priority 10 action bypass
dir out proto ipv6-icmp type 136 priority 10 action bypass
# IKE to and from the gateway itself
dir in  dst 10.2.0.1 proto udp dport 500  priority 100 action bypass
dir out src 10.2.0.1 proto udp sport 500  priority 100 action bypass
dir in  dst 10.2.0.1 proto udp dport 4500 priority 100 action bypass
dir out src 10.2.0.1 proto udp sport 4500 priority 100 action bypass
dir in  dst fd02::1 proto udp dport 500 priority 100 action bypass
dir out src fd02::1 proto udp sport 500 priority 100 action bypass
# a visible clear-text exception, both ways
dir fwd proto udp dport 5353 priority 150 action bypass
dir out proto udp dport 5353 priority 150 action bypass
# clients -> servers: clear on the inside, protected on the way out
dir fwd src 10.1.0.0/24 dst 10.2.0.0/24 priority 200 action bypass
dir out src 10.1.0.0/24 dst 10.2.0.0/24 pfp src priority 200 action protect ipsec esp mode tunnel tunnel 10.2.0.1 10.2.0.2 reqid 7 proposal aes256gcm16
dir fwd src fd01::/64 dst fd02::/64 priority 200 action bypass
dir out src fd01::/64 dst fd02::/64 pfp src priority 200 action protect ipsec esp mode tunnel tunnel fd02::1 fd02::2 reqid 7
# servers -> clients must arrive protected: clear text is dropped
dir fwd src 10.2.0.0/24 dst 10.1.0.0/24 priority 200 action protect ipsec esp mode tunnel tunnel 10.2.0.2 10.2.0.1 reqid 7
dir fwd src fd02::/64 dst fd01::/64 priority 200 action protect ipsec esp mode tunnel tunnel fd02::2 fd02::1 reqid 7
# anything else
dir in  priority 1000 action discard
dir fwd priority 1000 action discard
dir out priority 1000 action discard
EOC
check "the gateway SPD loads atomically" q n r ipsecctl -f "$_tmp/sg.conf"
check_eq "r has 25 policies" 25 "$(spd_stat r .policies)"

log "--- before any traffic: nothing is held"
check_eq "no larval entry" 0 "$(spd_stat r .larval)"

log "--- BYPASS"
check "IKE a -> r:500 passes (in bypass)" udp_ok a r 10.2.0.1 500
check "IKE r:500 -> b passes (out bypass)" udp_ok r b 10.2.0.2 500 500
check "IKE over IPv6 a -> r:500 passes" udp_ok a r fd02::1 500
check "UDP 5353 a -> b is forwarded in clear" udp_ok a b 10.2.0.2 5353
check "UDP 5353 b -> a is forwarded in clear" udp_ok b a 10.1.0.2 5353
check "UDP 5353 a -> b over IPv6" udp_ok a b fd02::2 5353
check "UDP 5353 b -> a over IPv6" udp_ok b a fd01::2 5353

log "--- PROTECT without SA: ACQUIRE with the client's address, packets held"
monitor_start r "$_tmp/events"
check_fail "TCP a -> b:7000 does not get through in clear" tcp_ok a b 10.2.0.2 7000
wait_for 5 grep -q acquire "$_tmp/events"
ev=$(grep -m1 '"acquire"' "$_tmp/events")
log "event: $ev"
check_eq "ACQUIRE names the OUT PROTECT policy's reqid" 7 "$(echo "$ev" | jq -r .ipsec.reqid)"
check "ACQUIRE selector src is the PFP-populated client 10.1.0.2" \
	sh -c "echo '$ev' | jq -r .sel.src | grep -qE '^10\.1\.0\.2(/32)?$'"
# The earlier UDP 5353 BYPASS overlaps "10.1.0.0/24 -> 10.2.0.0/24 any
# protocol": decorrelation narrows the SA to the two hosts and TCP.
check "ACQUIRE selector decorrelated: dst 10.2.0.2" \
	sh -c "echo '$ev' | jq -r .sel.dst | grep -qE '^10\.2\.0\.2(/32)?$'"
check_eq "ACQUIRE selector decorrelated: proto tcp" tcp "$(echo "$ev" | jq -r .sel.proto)"
check_eq "ACQUIRE selector keeps ANY ports" null "$(echo "$ev" | jq -r .sel.dport)"
check_eq "one larval entry" 1 "$(spd_stat r .larval)"
check_eq "one ACQUIRE sent, however many SYNs" 1 "$(spd_stat r .acquires)"
check "retransmissions were de-duplicated" test "$(spd_stat r .acquires_suppressed)" -ge 1
check_fail "TCP over IPv6 a -> b:7000 does not get through" tcp_ok a b fd02::2 7000
wait_for 5 sh -c "grep -c '\"acquire\"' $_tmp/events | grep -q 2"
ev6=$(grep '"acquire"' "$_tmp/events" | tail -n 1)
check "the IPv6 ACQUIRE carries the client fd01::2" \
	sh -c "echo '$ev6' | jq -r .sel.src | grep -qE '^fd01::2(/128)?$'"

log "--- inbound clear text that must be protected is dropped"
before=$(spd_stat r '.drops.unprotected')
check_fail "TCP b -> a:7002 is dropped at r (fwd PROTECT)" tcp_ok b a 10.1.0.2 7002
check "and counted as unprotected" test "$(spd_stat r '.drops.unprotected')" -gt "$before"
check_fail "the same over IPv6" tcp_ok b a fd01::2 7002

log "--- DISCARD"
before=$(spd_stat r '.drops.discard')
check_fail "ping a -> r is discarded (in discard)" ping_ok a 10.1.0.1
check_fail "ping6 a -> r is discarded (in discard)" ping_ok a fd01::1
check_fail "ping r -> b is discarded (out discard)" ping_ok r 10.2.0.2
check "discards are counted" test "$(spd_stat r '.drops.discard')" -ge $((before + 3))
check_fail "ping a -> b waits for an SA (out PROTECT)" ping_ok a 10.2.0.2

log "--- the host b: BYPASS IKE, PROTECT TCP 7001 inbound, DISCARD the rest"
cat >"$_tmp/host.conf" <<EOC
dir in  proto ipv6-icmp type 135 priority 10 action bypass
dir in  proto ipv6-icmp type 136 priority 10 action bypass
dir out proto ipv6-icmp type 135 priority 10 action bypass
dir out proto ipv6-icmp type 136 priority 10 action bypass
dir in  dst 10.2.0.2 proto udp dport 500 priority 100 action bypass
dir out src 10.2.0.2 proto udp sport 500 priority 100 action bypass
dir in  proto tcp dport 7001 priority 200 action protect ipsec esp
dir out proto tcp dport 7003 pfp src,dst,dport priority 200 action protect ipsec esp
dir in  priority 1000 action discard
dir out priority 1000 action discard
EOC
check "b's SPD loads" q n b ipsecctl -f "$_tmp/host.conf"
n r ipsecctl policy flush
check "IKE r:500 -> b:500 still passes" udp_ok r b 10.2.0.2 500 500
check "IKE b:500 -> r:500 passes" udp_ok b r 10.2.0.1 500 500
before=$(spd_stat b '.drops.unprotected')
check_fail "clear TCP r -> b:7001 is dropped" tcp_ok r b 10.2.0.2 7001
check "counted as unprotected on b" test "$(spd_stat b '.drops.unprotected')" -gt "$before"
monitor_start b "$_tmp/events-b"
check_fail "TCP b -> r:7003 waits for an SA" tcp_ok b r 10.2.0.1 7003
wait_for 5 grep -q acquire "$_tmp/events-b"
ev=$(grep -m1 '"acquire"' "$_tmp/events-b")
check_eq "host ACQUIRE: dport populated" 7003 "$(echo "$ev" | jq -r '.sel.dport.min')"
check_fail "ping b -> r is discarded" ping_ok b 10.2.0.1
check "b counted its outbound discards" test "$(spd_stat b '.dir.out.discard')" -ge 1

log "--- an empty SPD passes everything again"
n b ipsecctl policy flush
check "flush ends b's larval entries" test "$(spd_stat b .larval)" = 0
check "ping a -> b works" ping_ok a 10.2.0.2
check "ping6 a -> b works" ping_ok a fd02::2
check "TCP a -> b works" tcp_ok a b 10.2.0.2 7000
