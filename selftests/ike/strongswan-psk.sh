#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikev2d against strongSwan's charon with pre-shared keys: ikev2d as
# initiator and as responder, for aes128gcm16-prfsha256-x25519 / esp
# aes128gcm16 and aes128-sha256-modp2048 / esp aes128-sha256; the
# INVALID_KE_PAYLOAD round trip; Delete from either side; rekeying of the
# Child SA (with PFS) and of the IKE SA by either side, and by both with
# their exchanges crossing (simultaneous rekeys of the same SA, RFC 7296
# §2.8.1, are in the unit tests: their timing is not ours to force here);
# DPD when the peer disappears, in both directions.
#
#   a: ikev2d  10.0.0.1 <--veth--> 10.0.0.2  b: charon (XFRM)
#      id ikev2d.example                        id swan.example
#      local-ts 10.1.0.0/24                     local_ts 10.2.0.0/24
#      remote-ts 10.2.0.0/16 (narrowed)         remote_ts 10.1.0.0/24
#
# ikev2d runs with --no-kernel: this test is about the IKE layer, its
# exchanges and timers, with no module to load; charon installs its SAs into
# XFRM as usual. Traffic between the two through nfsec and XFRM is in
# strongswan-gateway.sh and strongswan-client.sh.
# nfsec-test: slow (make check-slow; too long for CI's 90 minutes, see testing.md)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"

command -v /usr/lib/ipsec/charon >/dev/null || skip "strongSwan's charon is not installed"
command -v ikev2d >/dev/null || skip "ikev2d is not installed"

PSK="nfsec ikev2d interop secret"
topo_pair
# The first XFRM SA of each algorithm loads its crypto modules and runs the
# kernel's self-tests (seconds under TCG), which would make IKE retransmit:
# pay for that before measuring anything.
n b ip xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x100 mode tunnel \
	aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128
n b ip xfrm state add src 10.0.0.2 dst 10.0.0.1 proto esp spi 0x101 mode tunnel \
	enc 'cbc(aes)' 0x0102030405060708090a0b0c0d0e0f10 \
	auth-trunc 'hmac(sha256)' 0x0102030405060708090a0b0c0d0e0f100102030405060708090a0b0c0d0e0f10 128
n b ip xfrm state flush
top=$(mktemp -d /tmp/ike.XXXXXX)

# setup CASE IKE ESP [SWAN_IKE [SWAN_CHILD_OPTIONS [IKEV2D_OPTIONS
# [SWAN_IKE_OPTIONS]]]]: configuration of both sides in $top/CASE
setup() {
	local dir=$top/$1 ike=$2 esp=$3 swan_ike=${4:-$2} swan_child=${5:-}
	local ikev2d_opts=${6:-} swan_opts=${7:-}
	mkdir -p "$dir/a" "$dir/b"
	cat > "$dir/a/ikev2d.conf" <<-EOC
	conn swan {
	    local 10.0.0.1 ; remote 10.0.0.2
	    local-id ikev2d.example ; remote-id swan.example
	    auth psk ; psk "$PSK"
	    ike $ike ; esp $esp
	    local-ts 10.1.0.0/24 ; remote-ts 10.2.0.0/16
	    mode tunnel ; dpd 2
	    $ikev2d_opts
	}
	EOC
	cat > "$dir/b/swanctl.conf" <<-EOC
	connections {
	    ikev2d {
	        version = 2
	        local_addrs = 10.0.0.2
	        remote_addrs = 10.0.0.1
	        proposals = $swan_ike
	        dpd_delay = 2s
	        $swan_opts
	        local {
	            auth = psk
	            id = swan.example
	        }
	        remote {
	            auth = psk
	            id = ikev2d.example
	        }
	        children {
	            net {
	                esp_proposals = $esp
	                local_ts = 10.2.0.0/24
	                remote_ts = 10.1.0.0/24
	                mode = tunnel
	                $swan_child
	            }
	        }
	    }
	}
	secrets {
	    ike-psk {
	        id-1 = swan.example
	        id-2 = ikev2d.example
	        secret = "$PSK"
	    }
	}
	EOC
	A=$dir/a
	B=$dir/b
}

# start_both [IKEV2D_ARGS...]
start_both() {
	swan_start b "$B"
	ikev2d_start a "$A" --no-kernel "$@"
}


swan_up() { swan b "$B" --list-sas | grep -q "ESTABLISHED"; }
swan_down() { ! swan b "$B" --list-sas | grep -q "ESTABLISHED"; }
ikev2d_up() { ikectl "$A" list | grep -q "^ike swan.* ESTABLISHED"; }
ikev2d_down() { ! ikectl "$A" list | grep -q "^ike swan"; }
ikev2d_lists() { ikectl "$A" list | grep -q "$1"; }
swan_lists() { swan b "$B" --list-sas | grep -q "$1"; }

# both_agree ROLE IKE_ALGS ESP_ALGS: what each side lists matches
both_agree() {
	local role=$1 ike=$2 esp=$3 sas list
	sas=$(swan b "$B" --list-sas)
	list=$(ikectl "$A" list)
	check "strongSwan: IKE SA ESTABLISHED" grep -q "^ikev2d: #[0-9]*, ESTABLISHED, IKEv2" <<<"$sas"
	check "strongSwan: IKE SA with $ike" grep -qF "$ike" <<<"$sas"
	check "strongSwan: Child SA INSTALLED, TUNNEL, ESP:$esp" \
		grep -q "net: #[0-9]*, reqid [0-9]*, INSTALLED, TUNNEL, ESP:$esp\$" <<<"$sas"
	check "strongSwan: traffic selectors narrowed" grep -q "remote 10.1.0.0/24" <<<"$sas"
	check "ikev2d: IKE SA ESTABLISHED as $role" grep -q "^ike swan.* ESTABLISHED $role" <<<"$list"
	check "ikev2d: IKE SA with $ike" grep -qF "ike $ike " <<<"$list"
	check "ikev2d: Child SA with esp $esp" grep -q "^child swan.* esp $esp established" <<<"$list"
	check "ikev2d: remote selector narrowed to 10.2.0.0/24" \
		grep -q "^child swan.* remote 10.2.0.0/24\$" <<<"$list"
	check "the ESP SPIs match" within 30 spis_match
}

# The Child SA's SPIs as ikev2d and strongSwan list them now. With 8-second
# rekeys (the rekey case) on a loaded TCG host the two listings may be a
# rekey apart; strongSwan keeps listing the old Child SA for a moment after
# a rekey, so ikev2d's pair (read first) must be among strongSwan's. A
# mismatch is read again, and callers try again for up to 30 s (within).
spis_match() {
	local i sas list swan_in swan_out pair in out
	for ((i = 0; i < 10; i++)); do
		list=$(ikectl "$A" list)
		sas=$(swan b "$B" --list-sas)
		swan_in=$(sed -n 's/^ *in  \([0-9a-f]\{8\}\),.*/\1/p' <<<"$sas")
		swan_out=$(sed -n 's/^ *out \([0-9a-f]\{8\}\),.*/\1/p' <<<"$sas")
		for pair in $(grep -o 'spis [0-9a-f]*_i [0-9a-f]*_o' <<<"$list" |
			      sed 's/spis \([0-9a-f]*\)_i \([0-9a-f]*\)_o/\1:\2/'); do
			in=${pair%:*} out=${pair#*:}
			if grep -qw "$in" <<<"$swan_out" && grep -qw "$out" <<<"$swan_in"; then
				log "ESP SPIs $out/$in on both sides"
				return 0
			fi
		done
		log "ESP SPIs differ: strongSwan" $swan_in / $swan_out ", ikev2d" \
			"$(grep -o 'spis [0-9a-f]*_i [0-9a-f]*_o' <<<"$list" | tr '\n' ' ')"
	done
	return 1
}

# run_case CASE IKE ESP IKE_ALGS ESP_ALGS
run_case() {
	local name=$1 ike=$2 esp=$3 ike_algs=$4 esp_algs=$5
	log "=== $name: ikev2d initiates"
	setup "$name" "$ike" "$esp"
	start_both
	check "ikev2d: up swan" q ikectl "$A" up swan
	wait_for 20 swan_up
	wait_for 20 ikev2d_up
	both_agree initiator "$ike_algs" "$esp_algs"
	check "ikev2d: down swan" q ikectl "$A" down swan
	wait_for 10 swan_down
	check "strongSwan has no IKE SA after ikev2d's Delete" swan_down
	check "ikev2d has no IKE SA" ikev2d_down

	log "=== $name: strongSwan initiates"
	check "strongSwan: initiate" q swan b "$B" --initiate --child net
	wait_for 20 ikev2d_up
	both_agree responder "$ike_algs" "$esp_algs"
	check "strongSwan: terminate" q swan b "$B" --terminate --ike ikev2d
	wait_for 10 ikev2d_down
	check "ikev2d has no IKE SA after strongSwan's Delete" ikev2d_down
	ike_stop
}

run_case gcm aes128gcm16-prfsha256-x25519 aes128gcm16 \
	AES_GCM_16-128/PRF_HMAC_SHA2_256/CURVE_25519 AES_GCM_16-128
run_case cbc aes128-sha256-modp2048 aes128-sha256 \
	AES_CBC-128/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048 AES_CBC-128/HMAC_SHA2_256_128

log "=== INVALID_KE_PAYLOAD: strongSwan sends x25519, ikev2d wants modp2048"
setup invalid-ke aes128gcm16-prfsha256-modp2048 aes128gcm16 \
	aes128gcm16-prfsha256-x25519-modp2048
start_both
check "strongSwan: initiate" q swan b "$B" --initiate --child net
wait_for 20 ikev2d_up
check "ikev2d asked for group 14" grep -q "KE group 31 not acceptable, asking for 14" "$A/ikev2d.log"
check "the IKE SA uses MODP_2048" ikev2d_lists "PRF_HMAC_SHA2_256/MODP_2048"
check "strongSwan agrees" swan_lists "PRF_HMAC_SHA2_256/MODP_2048"
ike_stop

log "=== INVALID_KE_PAYLOAD: ikev2d sends x25519, strongSwan wants modp2048"
setup invalid-ke2 aes128gcm16-prfsha256-x25519-modp2048 aes128gcm16 \
	aes128gcm16-prfsha256-modp2048
start_both
check "ikev2d: up swan" q ikectl "$A" up swan
wait_for 20 ikev2d_up
check "no NAT detected between the namespaces" sh -c "! grep -q 'NAT detected' $top/*/a/ikev2d.log"
check "ikev2d retried with group 14" grep -q "INVALID_KE_PAYLOAD: retrying with KE group 14" \
	"$A/ikev2d.log"
check "strongSwan: IKE SA with MODP_2048" swan_lists "PRF_HMAC_SHA2_256/MODP_2048"
ike_stop

log "=== strongSwan rekeys the Child SA (CREATE_CHILD_SA, REKEY_SA)"
setup rekey aes128gcm16-prfsha256-x25519 aes128gcm16 aes128gcm16-prfsha256-x25519 \
	"rekey_time = 8s
	                rand_time = 0s
	                life_time = 300s"
start_both
check "strongSwan: initiate" q swan b "$B" --initiate --child net
wait_for 20 ikev2d_up
wait_for 30 grep -q "Child SA [0-9a-f]*/[0-9a-f]* rekeyed" "$A/ikev2d.log"
rekeyed_and_deleted() {
	grep -q "peer deletes Child SA" "$A/ikev2d.log" &&
	[ "$(ikectl "$A" list | grep -c '^child')" = 1 ]
}
wait_for 20 rekeyed_and_deleted
check "ikev2d answered the rekey" grep -q "rekeyed" "$A/ikev2d.log"
check "the old Child SA was deleted by strongSwan" rekeyed_and_deleted
both_agree responder AES_GCM_16-128/PRF_HMAC_SHA2_256/CURVE_25519 AES_GCM_16-128
ike_stop

# The IKE SA's SPIs as ikev2d lists them ("SPI_i SPI_r", hex).
ikev2d_ike_spis() {
	ikectl "$A" list | sed -n 's/^ike swan.* ESTABLISHED .* spis \([0-9a-f]*\)_i\*\{0,1\} \([0-9a-f]*\)_r.*/\1 \2/p'
}
swan_ike_spis() {
	swan b "$B" --list-sas |
		sed -n 's/^ikev2d: #[0-9]*, ESTABLISHED, IKEv2, \([0-9a-f]*\)_i\*\{0,1\} \([0-9a-f]*\)_r.*/\1 \2/p'
}
# One IKE SA on each side, with the same SPIs.
ike_spis_match() {
	local mine theirs
	mine=$(ikev2d_ike_spis)
	theirs=$(swan_ike_spis)
	[ -n "$mine" ] && [ "$(wc -l <<<"$mine")" = 1 ] && [ "$mine" = "$theirs" ]
}
# count PATTERN FILE
count() { grep -c -- "$1" "$2" || true; }
# at_least N PATTERN FILE
at_least() { [ "$(count "$2" "$3")" -ge "$1" ]; }

# rekey_case CASE WHO IKEV2D_OPTIONS SWAN_CHILD_OPTIONS SWAN_IKE_OPTIONS: the
# IKE and Child SAs are rekeyed (by WHO: ikev2d, strongswan or both: ikev2d
# the Child SA, strongSwan the IKE SA) twice
# each, the IKE SA stays up throughout, and both sides agree on the SPIs
# after each rekey: within a few seconds, as both sides list the old and
# the new SA for a moment and rekeys come every few seconds; an SA left
# behind on either side would make them differ for good.
rekey_case() {
	local name=$1 who=$2 spis now i
	log "=== $name: $who rekeys the Child SA (PFS, x25519) and the IKE SA"
	setup "$name" aes128gcm16-prfsha256-x25519 aes128gcm16-x25519 aes128gcm16-prfsha256-x25519 \
		"$4" "$3" "$5"
	start_both
	check "ikev2d: up swan" q ikectl "$A" up swan
	wait_for 20 swan_up
	wait_for 20 ikev2d_up
	check "the IKE SPIs match" ike_spis_match
	spis=$(ikev2d_ike_spis)
	for i in 1 2; do
		wait_for 90 at_least "$i" "IKE SA rekeyed: " "$A/ikev2d.log"
		wait_for 20 at_least $((i + 1)) "CHILD_SA net{[0-9]*} established" "$B/charon.log"
		check "rekey $i: the IKE SA is up" ikev2d_up
		check "rekey $i: one IKE SA on each side, the same SPIs" within 20 ike_spis_match
		now=$(ikev2d_ike_spis)
		check_fail "rekey $i: the IKE SPIs changed" [ "$now" = "$spis" ]
		spis=$now
		check "rekey $i: one Child SA on each side, the same SPIs" within 30 spis_match
	done
	# (TEMPORARY_FAILURE for an exchange on an IKE SA being replaced, and
	# CHILD_SA_NOT_FOUND for a rekey that crossed the old SA's Delete,
	# are part of RFC 7296 §2.25 and may happen when both rekey)
	check_fail "no retransmission ran out, nothing unacceptable" \
		grep -q "peer did not respond\|peer is dead\|does not fit\|not acceptable" \
		"$A/ikev2d.log"
	check "the Child SA rekeys carried KE (PFS)" \
		grep -q "CREATE_CHILD_SA request [0-9]* \[ N(REKEY_SA) .*KE" "$B/charon.log"
	case $who in
	ikev2d)
		check "ikev2d rekeyed Child SAs with PFS" \
			grep -q "rekeying Child SA .* with PFS" "$A/ikev2d.log"
		check "ikev2d rekeyed the IKE SA" grep -q "rekeying the IKE SA" "$A/ikev2d.log" ;;
	strongswan)
		check "strongSwan rekeyed Child SAs" \
			grep -q "Child SA [0-9a-f]*/[0-9a-f]* rekeyed\$" "$A/ikev2d.log"
		check "strongSwan rekeyed the IKE SA" \
			grep -q "generating CREATE_CHILD_SA request [0-9]* \[ SA No KE \]" "$B/charon.log" ;;
	both)
		check "ikev2d rekeyed Child SAs with PFS" \
			grep -q "rekeying Child SA .* with PFS" "$A/ikev2d.log"
		check "strongSwan rekeyed the IKE SA" \
			grep -q "generating CREATE_CHILD_SA request [0-9]* \[ SA No KE \]" "$B/charon.log"
		log "rekeys started by ikev2d: $(count "rekeying " "$A/ikev2d.log")," \
			"by strongSwan: $(count "generating CREATE_CHILD_SA request" "$B/charon.log")" ;;
	esac
	# collisions happen when both rekey within a round trip: show them
	grep -h -i "collision" "$A/ikev2d.log" "$B/charon.log" | sed 's/^/# /' || true
	ike_stop
}

rekey_case rekey-ikev2d ikev2d "rekey 10 ; ike-rekey 25" "" ""
rekey_case rekey-swan strongswan "" "rekey_time = 10s
	                rand_time = 0s
	                life_time = 300s" "rekey_time = 25s
	        rand_time = 3s
	        over_time = 60s"
# ikev2d rekeys the Child SA (8 s), strongSwan the IKE SA (25 s): their
# exchanges cross, and a Child SA rekey answered on the old IKE SA lands
# in the new one
rekey_case rekey-both both "rekey 8 ; ike-rekey 60" "rekey_time = 20s
	                rand_time = 0s
	                life_time = 300s" "rekey_time = 25s
	        rand_time = 3s
	        over_time = 60s"

# Short retransmissions from here on: DPD gives up after 0.5 + 1 + 2 s.
log "=== DPD: strongSwan disappears"
setup dpd aes128gcm16-prfsha256-x25519 aes128gcm16
start_both --retransmit-timeout 500 --retransmit-tries 3
check "ikev2d: up swan" q ikectl "$A" up swan
wait_for 20 ikev2d_up
# strongSwan checks only when it heard nothing for dpd_delay (2 s), and
# ikev2d's own checks (also every 2 s) may keep it quiet for a while.
swan_dpd_answered() {
	grep -q "sending DPD request" "$B/charon.log" &&
		grep -q "parsed INFORMATIONAL response" "$B/charon.log"
}
wait_for 60 swan_dpd_answered
check "ikev2d answered strongSwan's liveness checks" swan_dpd_answered
check "liveness checks keep the IKE SA up" ikev2d_up
kill -9 "${_ike_pids[0]}"
wait "${_ike_pids[0]}" 2>/dev/null || true
wait_for 20 ikev2d_down
check "ikev2d declared the peer dead" grep -q "peer is dead" "$A/ikev2d.log"
ike_stop

log "=== DPD: ikev2d disappears"
setup dpd2 aes128gcm16-prfsha256-x25519 aes128gcm16
start_both --retransmit-timeout 500 --retransmit-tries 3
check "strongSwan: initiate" q swan b "$B" --initiate --child net
wait_for 20 ikev2d_up
kill -9 "$_ikev2d_pid"
wait "$_ikev2d_pid" 2>/dev/null || true
wait_for 40 swan_down
check "strongSwan deleted the IKE SA of the dead peer" swan_down
ike_stop

rm -rf "$top"
