#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IKE establishment rate (not a test): make bench-ike, or
#   NFSEC_BENCH=1 selftests/vm/run -- selftests/bench/ike.sh
#
#   a 10.0.0.1 (initiator) <--veth--> b 10.0.0.2 (responder)
#
# N IKE SAs, each with its Child SA (IKE_SA_INIT + IKE_AUTH, PSK), started
# at once from a to b (the initiator's configuration starts them: ikev2d's
# "start start", charon's start_action) and timed from then until every
# Child SA is installed: between
# two ikev2d (Child SAs in nfsec), then between two strongSwan charons
# (Child SAs in XFRM), same proposals (aes128gcm16-prfsha256-x25519, ESP
# aes128gcm16), both sending COOKIEs above 10 half-open IKE SAs (their
# default), without a per-address half-open limit, and logging at their
# normal level. Connection i has identity ci.example and
# selectors 10.9.i.1 - 10.8.i.1 (distinct identities: INITIAL_CONTACT of
# one does not close the others). Default N=50 (NFSEC_BENCH_IKE_SAS), run
# NFSEC_BENCH_ROUNDS times (default 3). Prints seconds, establishments per
# second and the ratio ikev2d/charon. Numbers from a TCG VM are only
# comparable with each other.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../ike/ike-lib.sh"
[ -n "${NFSEC_BENCH:-}" ] || skip "a benchmark: run with NFSEC_BENCH=1"
command -v ikev2d >/dev/null || skip "ikev2d is not installed"
command -v /usr/lib/ipsec/charon >/dev/null || skip "strongSwan's charon is not installed"
count=${NFSEC_BENCH_IKE_SAS:-50}
rounds=${NFSEC_BENCH_ROUNDS:-3}
PSK="bench bench bench bench"
IKE=aes128gcm16-prfsha256-x25519 ESP=aes128gcm16
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"

topo_pair
nfsec_load

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.1f", n / s; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
# wait_count SECS WANT CMD...: until CMD prints WANT; fails after SECS
wait_count() {
	local end=$((SECONDS + $1)) want=$2
	shift 2
	until [ "$("$@")" = "$want" ]; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# --- ikev2d <-> ikev2d -------------------------------------------------
A=$tmp/a B=$tmp/b
mkdir -p "$A" "$B"
cat > "$B/ikev2d.conf" <<EOF
conn rw {
    local 10.0.0.2 ; remote 10.0.0.1
    local-id b.example
    auth psk ; psk "$PSK"
    ike $IKE ; esp $ESP
    local-ts 10.8.0.0/16 ; remote-ts 10.9.0.0/16
    dpd 0
}
EOF
for ((i = 1; i <= count; i++)); do
	cat <<EOF
conn c$i {
    local 10.0.0.1 ; remote 10.0.0.2
    local-id c$i.example ; remote-id b.example
    auth psk ; psk "$PSK"
    ike $IKE ; esp $ESP
    local-ts 10.9.$((i / 250)).$((i % 250 + 1))/32 ; remote-ts 10.8.$((i / 250)).$((i % 250 + 1))/32
    dpd 0 ; mobike no ; start start
}
EOF
done > "$A/ikev2d.conf"

ikev2d_children() {
	n "$1" ipsecctl -S "$2/ikev2d.sock" ike list | grep -c '^child .*INSTALLED' || true
}
ikev2d_ike_sas() { n "$1" ipsecctl -S "$2/ikev2d.sock" ike list | grep -c '^ike ' || true; }

# ikev2d_round: $took = seconds for count IKE SAs with their Child SAs.
# The initiator starts them when it starts (start start), as charon does
# when its connections are loaded: one "ike up" process per connection
# would measure process start-up (75 ms each under TCG).
ikev2d_round() {
	local t0 t1
	rm -f "$A/ikev2d.sock" "$B/ikev2d.sock"
	ip netns exec b ikev2d -F -c "$B/ikev2d.conf" --socket "$B/ikev2d.sock" >"$B/ikev2d.log" 2>&1 &
	_ike_pids+=($!)
	wait_for 10 test -S "$B/ikev2d.sock"
	t0=$(now)
	ip netns exec a ikev2d -F -c "$A/ikev2d.conf" --socket "$A/ikev2d.sock" >"$A/ikev2d.log" 2>&1 &
	_ike_pids+=($!)
	wait_for 10 test -S "$A/ikev2d.sock"
	wait_count 600 "$count" ikev2d_children a "$A" || return 1
	t1=$(now)
	[ "$(ikev2d_children b "$B")" = "$count" ] || return 1
	[ "$(n a ipsecctl -j sa list | wc -l)" = $((2 * count)) ] || return 1
	ike_stop
	took=$(secs "$t0" "$t1")
}

# --- charon <-> charon -------------------------------------------------
SA=$tmp/sa SB=$tmp/sb
bench_swan_conf() { # DIR
	swan_conf "$1"
	# The log at its normal level, as ikev2d's; charon's own retransmission
	# times, not the tests' short ones; and no per-address half-open limit
	# (charon's block_threshold, 5 by default; ikev2d has none, only 1000
	# half-open IKE SAs in all): N initiators share one address here.
	sed -i '/retransmit_/d; s/ike = 2/ike = 1/; s/cfg = 2/cfg = 1/
		s/^\(\s*\)install_routes = no/&\n\1block_threshold = 1000/' "$1/strongswan.conf"
}
bench_swan_conf "$SA"
bench_swan_conf "$SB"
cat > "$SB/swanctl.conf" <<EOF
connections {
    rw {
        version = 2
        local_addrs = 10.0.0.2
        remote_addrs = 10.0.0.1
        proposals = $IKE
        local {
            auth = psk
            id = b.example
        }
        remote {
            auth = psk
        }
        children {
            net {
                esp_proposals = $ESP
                local_ts = 10.8.0.0/16
                remote_ts = 10.9.0.0/16
            }
        }
    }
}
secrets {
    ike-all {
        secret = "$PSK"
    }
}
EOF
{
	echo "connections {"
	for ((i = 1; i <= count; i++)); do
		cat <<EOF
    c$i {
        version = 2
        local_addrs = 10.0.0.1
        remote_addrs = 10.0.0.2
        proposals = $IKE
        mobike = no
        local {
            auth = psk
            id = c$i.example
        }
        remote {
            auth = psk
            id = b.example
        }
        children {
            n$i {
                start_action = start
                esp_proposals = $ESP
                local_ts = 10.9.$((i / 250)).$((i % 250 + 1))/32
                remote_ts = 10.8.$((i / 250)).$((i % 250 + 1))/32
            }
        }
    }
EOF
	done
	echo "}"
	printf 'secrets {\n    ike-all {\n        secret = "%s"\n    }\n}\n' "$PSK"
} > "$SA/conns.conf"
: > "$SA/swanctl.conf"

swan_children() { swan "$1" "$2" --list-sas 2>/dev/null | grep -c 'INSTALLED' || true; }

# charon_round: the same between the charons. Loading the connections
# starts them (start_action): "swanctl --initiate" would hold one of
# charon's 16 threads per initiation until it completes, and N of them at
# once would leave none to process the replies.
charon_round() {
	local t0 t1
	rm -f "$SA/charon.vici" "$SB/charon.vici"
	swan_start b "$SB"
	swan_start a "$SA"
	t0=$(now)
	swan a "$SA" --load-all --noprompt --file "$SA/conns.conf" >/dev/null 2>&1 || return 1
	wait_count 600 "$count" swan_children a "$SA" || return 1
	t1=$(now)
	[ "$(swan_children b "$SB")" = "$count" ] || return 1
	[ "$(n a ip xfrm state | grep -c '^src')" = $((2 * count)) ] || return 1
	ike_stop
	n a ip xfrm state flush
	n b ip xfrm state flush
	n a ip xfrm policy flush
	n b ip xfrm policy flush
	took=$(secs "$t0" "$t1")
}

log "$count IKE SAs with a Child SA each, started at once; $rounds rounds"
printf '# %-8s %-18s %-18s %s\n' round "ikev2d s (SAs/s)" "charon s (SAs/s)" "ikev2d/charon"
best_i= best_c=
for ((r = 1; r <= rounds; r++)); do
	ikev2d_round || fail "ikev2d: not all $count Child SAs came up (round $r)"
	ti=$took
	charon_round || fail "charon: not all $count Child SAs came up (round $r)"
	tc=$took
	printf '# %-8s %-18s %-18s %s\n' "$r" "$ti ($(rate "$count" "$ti"))" \
		"$tc ($(rate "$count" "$tc"))" "$(ratio "$(rate "$count" "$ti")" "$(rate "$count" "$tc")")"
	[ -z "$best_i" ] || awk -v a="$ti" -v b="$best_i" 'BEGIN { exit !(a < b) }' && best_i=$ti
	[ -z "$best_c" ] || awk -v a="$tc" -v b="$best_c" 'BEGIN { exit !(a < b) }' && best_c=$tc
done
log "best: ikev2d $(rate "$count" "$best_i") SAs/s, charon $(rate "$count" "$best_c") SAs/s," \
	"ratio ikev2d/charon $(ratio "$(rate "$count" "$best_i")" "$(rate "$count" "$best_c")")"
