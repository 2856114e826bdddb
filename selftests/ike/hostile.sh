#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Hostile IKE messages on the wire (issue 5: bad input gets a clear error or
# a counted drop, never a crash, a leak or a lost state). The parser is
# covered in-process by the unit tests and libFuzzer targets; this is the
# running gateway, on the network, while legitimate clients use it.
#
#   a: client alice   10.1.0.2 --- 10.1.0.1 \
#   c: attacker       10.3.0.2 --- 10.3.0.1 -- r: gateway 10.2.0.1 --- 10.2.0.2 b: server
#   d: client bob     10.5.0.2 --- 10.5.0.1 /     (ikev2d, pool 10.99.0.0/24)
#
# c runs ike_hostile.py: a seeded storm (HOSTILE_SEED=N repeats one; the
# seed is printed) of thousands of datagrams to both of r's addresses on UDP
# 500, 4500 with the non-ESP marker and 4500 without it: a half-open
# IKE_SA_INIT flood from random SPIs, mutations of IKE_SA_INIT (truncation,
# lengths, critical and unknown payloads, broken chains, versions, flags,
# x25519 points of small order past a COOKIE, KE mismatches, duplicates,
# forged COOKIEs...), messages with the SPIs of alice's IKE SA, most spoofed
# from her address (SK payloads of random bytes: would-be Deletes, message
# IDs in and out of the window, responses to nothing, SKF fragments), NAT
# keepalives, empty datagrams and fake ESP on 4500.
#
# Checked: before the storm alice is up with 10.99.0.1 and reaches the
# server. During it the gateway asks the flood for COOKIEs and holds at most
# its threshold (10) of half-open IKE SAs, alice's traffic flows, and bob
# sets up a new IKE SA, through a COOKIE round trip. After it the gateway's
# ikev2d is alive, alice's IKE SA and Child SA are the same (SPIs, endpoint:
# no forged message deleted or moved them) and still carry traffic, the
# gateway holds no more half-open SAs than the threshold and only the
# clients' SAs in its SAD, its memory (RSS, under a bound) and descriptors
# did not grow, it answered the storm's own socket with errors (COOKIE,
# INVALID_SYNTAX, INVALID_KE_PAYLOAD, NO_PROPOSAL_CHOSEN,
# UNSUPPORTED_CRITICAL_PAYLOAD) but never with alice's cached response (a
# forged "retransmission" is not the request answered: no reflection), kept
# state for few of its requests,
# refused the small-order points, logged its drops, and lets the half-open
# SAs time out.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
seed=${HOSTILE_SEED:-$(( (RANDOM << 15) | RANDOM ))}
THRESHOLD=10		# half-open IKE SAs before the gateway asks for COOKIEs
RSS_SLACK=4096		# kB the gateway's ikev2d may grow by in the storm

rw_gateway "$top"
# bob, on a link of his own
host_add d
link_add d r
addr_add d eth-r 10.5.0.2/24
addr_add r eth-d 10.5.0.1/24
n d ip route add default via 10.5.0.1
# c spoofs alice's address
n r sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth-c.rp_filter=0
rw_server "$top"
ikev2d_start r "$G" --cookie-threshold $THRESHOLD
gw=$_ikev2d_pid
A=$top/a
rw_alice "$A"
ikev2d_start a "$A"
alice_pid=$_ikev2d_pid
B=$top/bob
mkdir -p "$B"
cat > "$B/ikev2d.conf" <<EOF
conn vpn {
    local 10.5.0.2 ; remote 10.5.0.1
    local-id bob@company.com ; remote-id vpn.company.com
    auth psk ; psk "$PSK"
    remote-ts 10.2.0.0/24
    vips 0.0.0.0
}
EOF
ikev2d_start d "$B"

up_on() { ikectl "$1" list | grep -q "^ike vpn.* ESTABLISHED"; }
has_child() { ikectl "$1" list | grep -q "^child vpn"; }
vip_of() { n "$1" ip -4 -o addr show dev lo | sed -n 's/.* inet \(10\.99\.0\.[0-9]*\)\/32 .*/\1/p'; }
has_vip() { [ -n "$(vip_of "$1")" ]; }
# the gateway's IKE SA of the client at $1 (its line in the list), its SPIs
# ("SPIi:SPIr") and the SPIs of its Child SA ("in,out")
gw_ike() { ikectl "$G" list | grep "^ike rw\[[0-9]*\] ESTABLISHED .* remote $1:500 "; }
gw_uid() { gw_ike "$1" | sed 's/^ike rw\[\([0-9]*\)\].*/\1/'; }
ike_spis() { sed -n 's/.* spis \([0-9a-f]*\)_i\** \([0-9a-f]*\)_r.*/\1:\2/p'; }
gw_child_spis() {
	ikectl "$G" list | grep "^child rw\[$(gw_uid "$1")\] " |
		sed -n 's/.* spis \([0-9a-f]*\)_i \([0-9a-f]*\)_o.*/\1,\2/p'
}
half_open() { ikectl "$G" list | grep -c '^ike .* CONNECTING ' || true; }
no_half_open() { [ "$(half_open)" = 0 ]; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$gw/status"; }
fds() { ls "/proc/$gw/fd" | wc -l; }
storm_says() { jq -r "$1" "$top/storm.json"; }

log "=== before the storm (${SECONDS}s)"
check "alice: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
wait_for 60 up_on "$A"
wait_for 30 has_child "$A"
wait_for 10 has_vip a
check_eq "alice got the pool's first address" 10.99.0.1 "$(vip_of a)"
check "alice pings the server" within 30 ping_ok a 10.2.0.2
check_eq "alice fetches 256 KiB intact" "$want" "$(rw_fetch a)"
check_eq "the gateway's SAD: alice's pair" 2 "$(gw_sas)"
alice_ike=$(gw_ike 10.1.0.2 | ike_spis)
alice_child=$(gw_child_spis 10.1.0.2)
alice_uid=$(gw_uid 10.1.0.2)
alice_own=$(ikectl "$A" list | grep '^ike vpn' | ike_spis)
alice_sad=$(rw_spis a)
check "the gateway lists alice's IKE SA and Child SA" \
	test -n "$alice_ike" -a -n "$alice_child"
check_eq "alice lists the same IKE SA" "$alice_ike" "$alice_own"
rss0=$(rss)
fds0=$(fds)
log "alice: IKE SA $alice_ike, Child SA $alice_child; gateway's ikev2d: pid $gw, RSS $rss0 kB, $fds0 fds"

log "=== the storm (seed $seed; HOSTILE_SEED=$seed repeats it) (${SECONDS}s)"
ip netns exec c python3 "$here/ike_hostile.py" --seed "$seed" --count 15000 --rate 3000 \
	--until "$top/stop" --max-seconds 240 --ike-spis "$alice_ike" --child-spis "$alice_child" \
	--progress "$top/progress" >"$top/storm.json" 2>"$top/storm.err" &
storm=$!
_rw_bg+=($storm)
check "the gateway asks the flood for COOKIEs" \
	within 60 grep -q "asking for a cookie" "$G/ikev2d.log"
check "alice pings the server during the storm" within 30 ping_ok a 10.2.0.2
check_eq "alice fetches 256 KiB intact during the storm" "$want" "$(rw_fetch a)"
check "bob: up during the storm" q n d ipsecctl -S "$B/ikev2d.sock" ike up vpn
check "bob's IKE SA is established" within 120 up_on "$B"
check "bob answered a COOKIE to get it" grep -q "responder asks for a COOKIE" "$B/ikev2d.log"
check "bob's Child SA is up" within 30 has_child "$B"
check "bob got an address" within 10 has_vip d
check_eq "it is the pool's second" 10.99.0.2 "$(vip_of d)"
check "bob pings the server" within 30 ping_ok d 10.2.0.2
ho=$(half_open)
check "the gateway holds at most $THRESHOLD half-open IKE SAs under the flood ($ho)" \
	test "$ho" -le $THRESHOLD
log "the storm has sent $(cat "$top/progress" 2>/dev/null || echo '<1000') datagrams so far (${SECONDS}s)"
check "the storm was still on" kill -0 $storm
touch "$top/stop"
rc=0
wait $storm || rc=$?
check_eq "the storm ended cleanly" 0 $rc
sed 's/^/# /' "$top/storm.err"
jq -r '"sent \(.sent) datagrams in \(.seconds) s, \(.send_errors) send errors",
	"per class: \(.classes | to_entries | map("\(.key) \(.value)") | join(", "))",
	"per path: \(.paths | to_entries | map("\(.key): \(.value)") | join(", "))",
	"the gateway answered our socket: \(.replies | to_entries | map("\(.key) \(.value)") | join(", "))",
	"COOKIEs answered for small-order points: \(.cookie_answers)"' "$top/storm.json" |
	sed 's/^/# /'
n r cat /proc/net/snmp | awk '/^Udp:/ { if (h) { for (i = 2; i <= NF; i++) v[k[i]] = $i }
	else { h = 1; for (i = 2; i <= NF; i++) k[i] = $i } }
	END { printf "# the gateway'\''s UDP: %s received, %s dropped for a full buffer\n",
		v["InDatagrams"], v["RcvbufErrors"] }'

log "=== after the storm (${SECONDS}s)"
check "the gateway's ikev2d is alive" kill -0 $gw
check "alice's too" kill -0 $alice_pid
check_eq "alice's IKE SA on the gateway: the same SPIs, established" \
	"$alice_ike" "$(gw_ike 10.1.0.2 | ike_spis)"
check_eq "the same IKE SA (no new one)" "$alice_uid" "$(gw_uid 10.1.0.2)"
check_eq "its Child SA: the same SPIs" "$alice_child" "$(gw_child_spis 10.1.0.2)"
check_eq "alice's own IKE SA: the same" "$alice_ike" \
	"$(ikectl "$A" list | grep '^ike vpn.* ESTABLISHED' | ike_spis)"
check_eq "alice's SAD: the same SAs" "$alice_sad" "$(rw_spis a)"
check_fail "the gateway deleted none of her SAs" \
	grep -q "rw\[$alice_uid\]: IKE SA deleted" "$G/ikev2d.log"
check_fail "nor followed a forged source" grep -q "peer moved" "$G/ikev2d.log"
check "alice pings the server after the storm" within 30 ping_ok a 10.2.0.2
check_eq "alice fetches 256 KiB intact after the storm" "$want" "$(rw_fetch a)"
ho=$(half_open)
check "the gateway holds at most $THRESHOLD half-open IKE SAs ($ho)" test "$ho" -le $THRESHOLD
check_eq "its SAD: alice's and bob's pairs, nothing else" 4 "$(gw_sas)"
gw_has_pair() {
	local spis
	spis=$(n r ipsecctl -j sa list | jq -r .spi_hex)
	grep -qi "${1%,*}" <<<"$spis" && grep -qi "${1#*,}" <<<"$spis"
}
check "alice's pair among them" gw_has_pair "$alice_child"
rss1=$(rss)
check "its RSS grew by less than $RSS_SLACK kB ($rss0 -> $rss1 kB)" \
	test "$rss1" -lt $((rss0 + RSS_SLACK))
check "its file descriptors did not grow" within 10 sh -c "[ \$(ls /proc/$gw/fd | wc -l) -le $fds0 ]"
for e in COOKIE INVALID_SYNTAX INVALID_KE_PAYLOAD NO_PROPOSAL_CHOSEN UNSUPPORTED_CRITICAL_PAYLOAD; do
	check "it answered the storm with $e" test "$(storm_says ".replies.$e // 0")" -gt 0
done
check_eq "none of its IKE_SA_INIT responses had a KE of another group than proposed" "" \
	"$(storm_says '.replies | keys[] | select(startswith("IKE_SA_INIT answered with"))')"
check_eq "no forged retransmission of alice's got her cached response" 0 \
	"$(storm_says '.replies["cached response"] // 0')"
answered=$(storm_says '.replies["IKE_SA_INIT answered"] // 0')
bound=$(storm_says "$THRESHOLD * (2 + (.seconds / 30 | floor))")
check "it kept state for few of the storm's IKE_SA_INITs ($answered, at most $bound)" \
	test "$answered" -le "$bound"
# 3 small-order values come before the flood, the others after it: the
# storm answers their COOKIEs, so they reach the key exchange
cookied=$(storm_says .cookie_answers)
refused=$(grep -c "KE value refused" "$G/ikev2d.log" || true)
check "it refused the small-order x25519 values, past their COOKIE too ($refused; $cookied answered)" \
	test "$cookied" -gt 0 -a "$refused" -ge $((3 + cookied / 2))
log "its log: $(grep -c 'dropped' "$G/ikev2d.log") lines about drops," \
	"$(grep -c 'asking for a cookie' "$G/ikev2d.log") COOKIEs asked"
check "it logged the drops" grep -q "dropped" "$G/ikev2d.log"
check "its half-open IKE SAs time out" within 60 no_half_open
check "bob still pings the server" within 30 ping_ok d 10.2.0.2
log "done (${SECONDS}s)"
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
