#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two ikev2d against each other: PSK, IPv4 and IPv6, tunnel and transport,
# identities of every kind; the same with certificates (RSA with PSS and
# ECDSA, made here with the openssl command; every identity type in the
# certificate's subjectAltName or subject); then with nfsec loaded and without
# --no-kernel, the kernel interface: trap policies go in and come out
# again, the Child SA's two SAs are in both SADs (one side's outbound SA
# is the other's inbound one, same keys) and go when the daemons stop;
# rekeyed by both sides every 10 s, each SAD holds just the new pair after
# each rekey; and a Child SA nfsec refuses is logged with the kernel's
# reason and deleted towards the peer while the IKE SA stays.
#
#   a: ikev2d  10.0.0.1 fd00::1 <--veth--> 10.0.0.2 fd00::2  b: ikev2d
#
# Traffic through the SAs needs the SAD wired to the hooks; until then the
# IKE layer and the SAs' installation are checked.
# nfsec-test: slow (make check-slow; too long for CI's 90 minutes, see testing.md)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"

command -v ikev2d >/dev/null || skip "ikev2d is not installed"

topo_pair
top=$(mktemp -d /tmp/ike.XXXXXX)

# conf DIR NAME LOCAL REMOTE LOCAL_ID REMOTE_ID MODE [EXTRA]; $auth: the
# auth settings (default: a PSK)
conf() {
	local how=${auth:-'psk ; psk "pair secret"'}
	mkdir -p "$1"
	cat > "$1/ikev2d.conf" <<-EOC
	conn $2 {
	    local $3 ; remote $4
	    local-id "$5" ; remote-id "$6"
	    auth $how
	    ike aes256gcm16-prfsha384-ecp384, aes128-sha256-modp3072
	    esp aes256gcm16, aes128-sha256
	    mode $7 ; dpd 10
	    ${8:-}
	}
	EOC
}


lists() { ikectl "$1" list | grep -q "$2"; }
up_on() { ikectl "$1" list | grep -q "^ike $2.* ESTABLISHED"; }

# pair CASE FAMILY A_ADDR B_ADDR A_ID B_ID MODE; $auth_a, $auth_b: the
# auth settings of each side (default: the PSK)
pair() {
	local c=$1 a_addr=$3 b_addr=$4 a_id=$5 b_id=$6 mode=$7 la lb sa sb
	log "=== $c: $2, ids $a_id / $b_id, $mode"
	auth=${auth_a:-} conf "$top/$c/a" p "$a_addr" "$b_addr" "$a_id" "$b_id" "$mode"
	auth=${auth_b:-} conf "$top/$c/b" p "$b_addr" "$a_addr" "$b_id" "$a_id" "$mode"
	ikev2d_start a "$top/$c/a" --no-kernel
	ikev2d_start b "$top/$c/b" --no-kernel
	check "$c: up" q ikectl "$top/$c/a" up p
	wait_for 10 up_on "$top/$c/b" p
	wait_for 5 up_on "$top/$c/a" p
	la=$(ikectl "$top/$c/a" list)
	lb=$(ikectl "$top/$c/b" list)
	check "$c: the first proposal won" \
		grep -q "ike AES_GCM_16-256/PRF_HMAC_SHA2_384/ECP_384 " <<<"$la"
	check "$c: Child SA in $mode mode" grep -q "^child p.* ${mode^^} " <<<"$lb"
	sa=$(sed -n 's/.* spis \([0-9a-f]*\)_i \([0-9a-f]*\)_o.*/\1 \2/p' <<<"$la")
	sb=$(sed -n 's/.* spis \([0-9a-f]*\)_i \([0-9a-f]*\)_o.*/\2 \1/p' <<<"$lb")
	check_eq "$c: Child SA SPIs mirror each other" "$sa" "$sb"
	if [ -n "${auth_a:-}" ]; then
		check "$c: a verified b's certificate" grep -q \
			"peer's certificate 'CN=b.example,O=nfsec test,C=CH' verified, AUTH method 14" \
			"$top/$c/a/ikev2d.log"
		check "$c: b verified a's certificate" grep -q \
			"peer's certificate 'CN=a.example,O=nfsec test,C=CH' verified, AUTH method 14" \
			"$top/$c/b/ikev2d.log"
	fi
	check "$c: down from the responder" q ikectl "$top/$c/b" down p
	wait_for 10 not_up "$top/$c/a"
	ike_stop
}
not_up() { ! ikectl "$1" list | grep -q "^ike "; }
not_child() { ! ikectl "$1" list | grep -q "^child "; }

pair v4-fqdn IPv4 10.0.0.1 10.0.0.2 a.example b.example tunnel
pair v6-ip IPv6 fd00::1 fd00::2 fd00::1 fd00::2 tunnel
pair v4-email IPv4 10.0.0.1 10.0.0.2 alice@example.org gw@example.org transport
pair v6-v4id IPv6 fd00::1 fd00::2 ipv4:192.0.2.1 ipv4:192.0.2.2 transport

if command -v openssl >/dev/null; then
	# a CA, a (RSA-2048) and b (ECDSA P-256) with an identity of every
	# type in their subjectAltNames
	pki=$top/pki
	mkdir -p "$pki"
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/C=CH/O=nfsec test/CN=pair CA" -keyout "$pki/ca.key" -out "$pki/ca.pem" \
		-addext "basicConstraints=critical,CA:TRUE" 2>/dev/null
	# pair_cert NAME USER IPV4 IPV6 KEYOPT...: $pki/NAME.pem and .key
	pair_cert() {
		local name=$1 user=$2 v4=$3 v6=$4
		shift 4
		openssl req -new "$@" -nodes -subj "/C=CH/O=nfsec test/CN=$name.example" \
			-addext "subjectAltName=DNS:$name.example,email:$user@example.org,IP:$v4,IP:$v6" \
			-keyout "$pki/$name.key" 2>/dev/null |
		openssl x509 -req -days 2 -CA "$pki/ca.pem" -CAkey "$pki/ca.key" \
			-copy_extensions copy -out "$pki/$name.pem" 2>/dev/null
	}
	pair_cert a alice 10.0.0.1 fd00::1 -newkey rsa:2048
	pair_cert b gw 10.0.0.2 fd00::2 -newkey ec -pkeyopt ec_paramgen_curve:P-256
	for f in ca a b; do
		[ -s "$pki/$f.pem" ] || fail "openssl did not make $f.pem"
	done
	auth_a="pubkey ; cert $pki/a.pem ; key $pki/a.key ; ca $pki/ca.pem ; rsa-pss yes"
	auth_b="pubkey ; cert $pki/b.pem ; key $pki/b.key ; ca $pki/ca.pem"
	pair cert-v4-fqdn IPv4 10.0.0.1 10.0.0.2 a.example b.example tunnel
	pair cert-v6-ip IPv6 fd00::1 fd00::2 fd00::1 fd00::2 tunnel
	pair cert-v4-email IPv4 10.0.0.1 10.0.0.2 alice@example.org gw@example.org transport
	pair cert-v6-v4id IPv6 fd00::1 fd00::2 ipv4:10.0.0.1 ipv4:10.0.0.2 transport
	pair cert-v4-dn IPv4 10.0.0.1 10.0.0.2 "C=CH, O=nfsec test, CN=a.example" \
		"C=CH, O=nfsec test, CN=b.example" tunnel
	auth_a= auth_b=
else
	log "SKIP the certificate cases: the openssl command is missing"
fi

log "=== a wrong PSK is refused on both sides"
conf "$top/psk/a" p 10.0.0.1 10.0.0.2 a.example b.example tunnel
conf "$top/psk/b" p 10.0.0.2 10.0.0.1 b.example a.example tunnel
sed -i 's/pair secret/another secret/' "$top/psk/b/ikev2d.conf"
ikev2d_start a "$top/psk/a" --no-kernel
ikev2d_start b "$top/psk/b" --no-kernel
check "up" q ikectl "$top/psk/a" up p
wait_for 10 grep -q "AUTH does not verify" "$top/psk/b/ikev2d.log"
wait_for 10 grep -q "AUTHENTICATION_FAILED" "$top/psk/a/ikev2d.log"
check "no IKE SA on a" not_up "$top/psk/a"
check "no IKE SA on b" not_up "$top/psk/b"
ike_stop

log "=== with nfsec: trap policies, and the Child SA in both SADs"
nfsec_load
conf "$top/k/a" p 10.0.0.1 10.0.0.2 a.example b.example tunnel \
	"local-ts 10.1.0.0/24 ; remote-ts 10.2.0.0/24 ; start trap"
conf "$top/k/b" p 10.0.0.2 10.0.0.1 b.example a.example tunnel \
	"local-ts 10.2.0.0/24 ; remote-ts 10.1.0.0/24"
ikev2d_start a "$top/k/a"
ikev2d_start b "$top/k/b"
# nfsec may not have its SPD commands yet either: then the refusal must be
# logged and the daemon must go on.
spd=0
n a ipsecctl policy list >/dev/null 2>&1 && spd=1
if [ $spd = 1 ]; then
	check "a installed its trap policy" grep -q "p: trap policy [0-9]* installed" \
		"$top/k/a/ikev2d.log"
	# ikev2d installs traffic selectors as ranges: 10.2.0.0-10.2.0.255
	check "nfsec lists it" sh -c "ip netns exec a ipsecctl policy list | grep -qE '10\.2\.0\.0(/24|-10\.2\.0\.255)'"
else
	check "a logged that nfsec refused its trap policy" \
		grep -q "p: cannot install the trap policy: " "$top/k/a/ikev2d.log"
fi
check "up" q ikectl "$top/k/a" up p
wait_for 15 up_on "$top/k/a" p
# "DIR SPI SRC DST AEAD KEY" of each SA of NS, sorted
sas() { n "$1" ipsecctl -j --keys sa list | jq -r '"\(.dir) \(.spi_hex) \(.src) \(.dst) \(.aead.name) \(.aead.key)"' | sort; }
two_sas() { [ "$(sas "$1" | wc -l)" = 2 ]; }
wait_for 15 two_sas a
wait_for 15 two_sas b
log "a: $(sas a | cut -d' ' -f1-5 | tr '\n' ';')"
check_eq "a and b have the Child SA: in and out" "in out in out" \
	"$(echo $(sas a | cut -d' ' -f1) $(sas b | cut -d' ' -f1))"
check_eq "a's outbound SA is b's inbound SA (SPI, addresses, AES-GCM key)" \
	"$(sas a | grep '^out' | cut -d' ' -f2-)" "$(sas b | grep '^in' | cut -d' ' -f2-)"
check_eq "b's outbound SA is a's inbound SA" \
	"$(sas b | grep '^out' | cut -d' ' -f2-)" "$(sas a | grep '^in' | cut -d' ' -f2-)"
check_eq "the tunnel runs 10.0.0.1 -> 10.0.0.2 with the first proposal" "10.0.0.1 10.0.0.2 rfc4106(gcm(aes))" \
	"$(sas a | grep '^out' | cut -d' ' -f3-5)"
ike_stop

log "=== with nfsec: the Child SA rekeyed every 10 s by both sides"
# Each rekey installs the new SAs, then the old ones go: a moment later
# each SAD holds exactly the new pair, one side's outbound SA the other's
# inbound one. nfsec's soft expiry (10 s) asks for the same rekey.
conf "$top/rk/a" p 10.0.0.1 10.0.0.2 a.example b.example tunnel \
	"local-ts 10.1.0.0/24 ; remote-ts 10.2.0.0/24 ; rekey 10 ; lifetime 60"
conf "$top/rk/b" p 10.0.0.2 10.0.0.1 b.example a.example tunnel \
	"local-ts 10.2.0.0/24 ; remote-ts 10.1.0.0/24 ; rekey 10 ; lifetime 60"
ikev2d_start a "$top/rk/a"
ikev2d_start b "$top/rk/b"
check "up" q ikectl "$top/rk/a" up p
wait_for 15 up_on "$top/rk/a" p
# the SAs of a and b pair up; $1: an inbound SPI of a that must be gone
sads_agree() {
	local a b
	a=$(sas a) b=$(sas b)
	[ "$(wc -l <<<"$a")" = 2 ] && [ "$(wc -l <<<"$b")" = 2 ] &&
	[ "$(grep '^out' <<<"$a" | cut -d' ' -f2-)" = "$(grep '^in' <<<"$b" | cut -d' ' -f2-)" ] &&
	[ "$(grep '^in' <<<"$a" | cut -d' ' -f2-)" = "$(grep '^out' <<<"$b" | cut -d' ' -f2-)" ] &&
	! grep -q "^in ${1:-none} " <<<"$a"
}
both_up() { up_on "$top/rk/a" p && up_on "$top/rk/b" p; }
check "the first Child SA is in both SADs" within 20 sads_agree
first=$(sas a | sed -n 's/^in \([^ ]*\) .*/\1/p')
for i in 1 2; do
	wait_for 60 sh -c "[ \$(cat '$top/rk/a/ikev2d.log' '$top/rk/b/ikev2d.log' |
		grep -c 'rekeyed') -ge $((2 * i)) ]"
	check "rekey $i: the new pair in both SADs, the old one gone" within 30 sads_agree "$first"
	first=$(sas a | sed -n 's/^in \([^ ]*\) .*/\1/p')
	check "rekey $i: the IKE SA is up on both sides" both_up
done
grep -h "collision\|soft expiry" "$top/rk/a/ikev2d.log" "$top/rk/b/ikev2d.log" | sed 's/^/# /' || true
ike_stop
check_eq "a removed its SAs on exit" 0 "$(n a ipsecctl -j sa list | wc -l)"
check_eq "b removed its SAs on exit" 0 "$(n b ipsecctl -j sa list | wc -l)"
if [ $spd = 1 ]; then
	check "a removed its trap policy on exit" \
		sh -c "! ip netns exec a ipsecctl policy list | grep -qE '10\.2\.0\.0(/24|-10\.2\.0\.255)'"
fi

log "=== with nfsec: a Child SA the kernel refuses"
# HMAC-SHA-1 is negotiable in IKE but not among nfsec's algorithms.
conf "$top/r/a" p 10.0.0.1 10.0.0.2 a.example b.example tunnel \
	"local-ts 10.1.0.0/24 ; remote-ts 10.2.0.0/24"
conf "$top/r/b" p 10.0.0.2 10.0.0.1 b.example a.example tunnel \
	"local-ts 10.2.0.0/24 ; remote-ts 10.1.0.0/24"
sed -i 's/esp aes256gcm16, aes128-sha256/esp aes128-sha1/' "$top/r/a/ikev2d.conf" "$top/r/b/ikev2d.conf"
ikev2d_start a "$top/r/a"
ikev2d_start b "$top/r/b"
check "up" q ikectl "$top/r/a" up p
wait_for 15 up_on "$top/r/a" p
wait_for 15 grep -q "installing Child SA .* failed: nfsec refused" "$top/r/b/ikev2d.log"
log "$(grep -m1 'installing Child SA' "$top/r/b/ikev2d.log")"
check "the kernel said why" grep -q "unknown algorithm NAME" "$top/r/b/ikev2d.log"
wait_for 15 not_child "$top/r/a"
wait_for 15 not_child "$top/r/b"
check "the IKE SA stays on a" up_on "$top/r/a" p
check "the IKE SA stays on b" up_on "$top/r/b" p
check "a logged the kernel's refusal too" \
	grep -q "installing Child SA .* failed: nfsec refused" "$top/r/a/ikev2d.log"
check "each side told the other" grep -q "deleting Child SA" "$top/r/a/ikev2d.log"
check_eq "no SA left on a" 0 "$(n a ipsecctl -j sa list | wc -l)"
check_eq "no SA left on b" 0 "$(n b ipsecctl -j sa list | wc -l)"
ike_stop

rm -rf "$top"
