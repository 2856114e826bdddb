#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ikev2d against strongSwan's charon with certificates (RFC 7427 signature
# authentication, CERT and CERTREQ), ikev2d as initiator and as responder:
#
#   rsa:   RSA-2048 on both sides; ikev2d signs PKCS#1 v1.5, charon
#          RSASSA-PSS (rsa_pss = yes); FQDN identities from subjectAltName
#   ecdsa: ikev2d ECDSA P-256, charon ECDSA P-384; DN identities (ikev2d
#          takes its certificate's subject as local identity)
#   classic: charon without RFC 7427 (signature_authentication = no, so no
#          SIGNATURE_HASH_ALGORITHMS): ikev2d RSA signs with method 1,
#          charon ECDSA P-384 with method 10
#   frag:  as rsa, over a 576-byte path on both sides (ikev2d fragment-size,
#          charon fragment_size and fragmentation = force): IKE_AUTH goes
#          in RFC 7383 fragments both ways and each side reassembles
#   untrusted: charon's certificate is from a CA ikev2d does not trust and
#          charon trusts only that CA: AUTHENTICATION_FAILED either way
#          round, no IKE SA and no Child SA on either side
#
#   a: ikev2d  10.0.0.1 <--veth--> 10.0.0.2  b: charon (XFRM)
#      ikev2d.example                           swan.example
#      local-ts 10.1.0.0/24                     local_ts 10.2.0.0/24
#      remote-ts 10.2.0.0/16 (narrowed)         remote_ts 10.1.0.0/24
#
# The certificates are made here with the openssl command, under one CA
# (ECDSA P-384) and an untrusted one. ikev2d runs with --no-kernel, as in
# strongswan-psk.sh: authentication is what is tested here, not traffic.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"

command -v /usr/lib/ipsec/charon >/dev/null || skip "strongSwan's charon is not installed"
command -v ikev2d >/dev/null || skip "ikev2d is not installed"
command -v openssl >/dev/null || skip "the openssl command is not installed"

topo_pair
top=$(mktemp -d /tmp/ike.XXXXXX)
pki=$top/pki
mkdir -p "$pki"

log "making certificates"
pki_ca ca "nfsec test CA"
pki_ca evil "evil CA"
pki_cert ikev2d-rsa rsa:2048 ikev2d.example ca
pki_cert swan-rsa rsa:2048 swan.example ca
pki_cert ikev2d-ec P-256 ikev2d.example ca
pki_cert swan-ec P-384 swan.example ca
pki_cert swan-evil P-256 swan.example evil

IKE=aes128gcm16-prfsha256-x25519
ESP=aes128gcm16

# setup CASE IKEV2D_CERT SWAN_CERT SWAN_CA IKEV2D_IDS SWAN_IDS SWAN_SIG:
# configuration of both sides in $top/CASE. IKEV2D_IDS are ikev2d.conf
# lines, SWAN_IDS "LOCAL_ID|REMOTE_ID" (LOCAL_ID empty: the subject),
# SWAN_SIG pss (charon signs RSA with PSS), classic (charon without RFC
# 7427) or default.
setup() {
	local dir=$top/$1 icert=$2 scert=$3 sca=$4 iids=$5 sids=$6 sig=$7
	local slocal=${sids%%|*} sremote=${sids#*|}
	mkdir -p "$dir/a" "$dir/b/x509" "$dir/b/x509ca" "$dir/b/private"
	cat > "$dir/a/ikev2d.conf" <<-EOC
	conn swan {
	    local 10.0.0.1 ; remote 10.0.0.2
	    $iids
	    auth pubkey
	    cert $pki/$icert.pem ; key $pki/$icert.key ; ca $pki/ca.pem
	    ike $IKE ; esp $ESP
	    local-ts 10.1.0.0/24 ; remote-ts 10.2.0.0/16
	    mode tunnel ; dpd 0
	    ${frag:+fragment-size $frag}
	}
	EOC
	cp "$pki/$scert.pem" "$dir/b/x509/"
	cp "$pki/$scert.key" "$dir/b/private/"
	cp "$pki/$sca.pem" "$dir/b/x509ca/"
	cat > "$dir/b/swanctl.conf" <<-EOC
	connections {
	    ikev2d {
	        version = 2
	        local_addrs = 10.0.0.2
	        remote_addrs = 10.0.0.1
	        proposals = $IKE
	        ${frag:+fragmentation = force}
	        local {
	            auth = pubkey
	            certs = $scert.pem
	            ${slocal:+id = \"$slocal\"}
	        }
	        remote {
	            auth = pubkey
	            id = "$sremote"
	        }
	        children {
	            net {
	                esp_proposals = $ESP
	                local_ts = 10.2.0.0/24
	                remote_ts = 10.1.0.0/24
	                mode = tunnel
	            }
	        }
	    }
	}
	EOC
	# the recipe's strongswan.conf, with the plugins for certificates and
	# EC keys, and the signature setting asked for
	swan_conf "$dir/b"
	sed -i -e 's/^\(\t*load = random nonce openssl\) pem pkcs1 x509 pubkey$/\1 pem pkcs1 pkcs8 x509 pubkey/' \
		-e 's/ pem pkcs1 x509 pubkey socket-default/ pem pkcs1 pkcs8 x509 constraints pubkey socket-default/' \
		"$dir/b/strongswan.conf"
	case $sig in
	pss) sed -i "s/^charon {$/charon {\n\trsa_pss = yes/" "$dir/b/strongswan.conf" ;;
	classic) sed -i "s/^charon {$/charon {\n\tsignature_authentication = no/" \
		"$dir/b/strongswan.conf" ;;
	esac
	[ -z "${frag:-}" ] || sed -i "s/^charon {$/charon {\n\tfragment_size = $frag/" \
		"$dir/b/strongswan.conf"
	A=$dir/a
	B=$dir/b
}

start_both() {
	SWANCTL_DIR=$B swan_start b "$B"
	ikev2d_start a "$A" --no-kernel "$@"
}

swan() {
	local ns=$1 dir=$2
	shift 2
	n "$ns" timeout 60 env STRONGSWAN_CONF="$dir/strongswan.conf" SWANCTL_DIR="$dir" \
		swanctl "$@" --uri "unix://$dir/charon.vici"
}

swan_up() { swan b "$B" --list-sas | grep -q "ESTABLISHED"; }
swan_no_sa() { [ -z "$(swan b "$B" --list-sas 2>/dev/null | grep -v '^$')" ]; }
ikev2d_up() { ikectl "$A" list | grep -q "^ike swan.* ESTABLISHED"; }
ikev2d_down() { ! ikectl "$A" list | grep -q "^ike swan"; }
ikev2d_no_child() { ! ikectl "$A" list | grep -q "^child"; }
swan_initiate_fails() { ! swan b "$B" --initiate --child net >/dev/null 2>&1; }
# at_least N PATTERN FILE: PATTERN is on N lines of FILE or more
at_least() { [ "$(grep -c -- "$2" "$3")" -ge "$1" ]; }

# established ROLE SWAN_PEER_ID N: both sides have the IKE and the Child
# SA, and each authenticated the other with a certificate (the Nth time in
# the logs)
established() {
	local role=$1 peer=$2 n=$3 sas list
	sas=$(swan b "$B" --list-sas)
	list=$(ikectl "$A" list)
	check "strongSwan: IKE SA ESTABLISHED" grep -q "^ikev2d: #[0-9]*, ESTABLISHED, IKEv2" <<<"$sas"
	check "strongSwan: the peer is $peer" grep -qF "remote '$peer'" <<<"$sas"
	check "strongSwan: Child SA INSTALLED" grep -q "net: #[0-9]*, reqid [0-9]*, INSTALLED, TUNNEL" <<<"$sas"
	check "ikev2d: IKE SA ESTABLISHED as $role" grep -q "^ike swan.* ESTABLISHED $role" <<<"$list"
	check "ikev2d: Child SA established" grep -q "^child swan.* established" <<<"$list"
	check "ikev2d: remote selector narrowed to 10.2.0.0/24" \
		grep -q "^child swan.* remote 10.2.0.0/24\$" <<<"$list"
	check "ikev2d verified strongSwan's AUTH (method ${method:-14})" at_least "$n" \
		"peer's certificate 'CN=swan.example,O=nfsec test,C=CH' verified, AUTH method ${method:-14}" \
		"$A/ikev2d.log"
	check "strongSwan recognised ikev2d's CERTREQ" at_least "$n" \
		'received cert request for "C=CH, O=nfsec test, CN=nfsec test CA"' "$B/charon.log"
	check "strongSwan verified ikev2d's certificate" at_least "$n" \
		"authentication of '$peer' with .* successful" "$B/charon.log"
}

# run_case CASE ...setup args... SIG PEER: both directions of initiation;
# strongSwan verifies ikev2d's AUTH as SIG, ikev2d's identity is PEER
run_case() {
	local name=$1 sig=$8 peer=$9
	log "=== $name: ikev2d initiates"
	setup "$@"
	start_both
	check "ikev2d: up swan" q ikectl "$A" up swan
	wait_for 20 swan_up
	wait_for 20 ikev2d_up
	established initiator "$peer" 1
	check "strongSwan authenticated ikev2d with $sig" \
		grep -q "authentication of '$peer' with $sig successful" "$B/charon.log"
	check "ikev2d: down swan" q ikectl "$A" down swan
	wait_for 10 swan_no_sa
	check "ikev2d has no IKE SA" ikev2d_down

	log "=== $name: strongSwan initiates"
	check "strongSwan: initiate" q swan b "$B" --initiate --child net
	wait_for 20 ikev2d_up
	established responder "$peer" 2
	check "strongSwan: terminate" q swan b "$B" --terminate --ike ikev2d
	wait_for 10 ikev2d_down
	check "ikev2d has no IKE SA after strongSwan's Delete" ikev2d_down
	ike_stop
}

run_case rsa ikev2d-rsa swan-rsa ca "local-id ikev2d.example ; remote-id swan.example" \
	"swan.example|ikev2d.example" pss "RSA_EMSA_PKCS1_SHA2_256" "ikev2d.example"
check "strongSwan signed with RSASSA-PSS, ikev2d verified it" \
	grep -q "authentication of 'swan.example' (myself) with RSA_EMSA_PSS" "$B/charon.log"
# charon's IKE_AUTH with its RSA certificate is over 1280 bytes: it
# fragments it (RFC 7383) as soon as ikev2d advertises fragmentation
check "ikev2d reassembled strongSwan's fragmented IKE_AUTH (default 1280 bytes)" \
	grep -q "message 1 reassembled from [0-9]* fragments" "$A/ikev2d.log"

run_case ecdsa ikev2d-ec swan-ec ca "remote-id \"C=CH, O=nfsec test, CN=swan.example\"" \
	"|C=CH, O=nfsec test, CN=ikev2d.example" nopss "ECDSA_WITH_SHA256_DER" \
	"C=CH, O=nfsec test, CN=ikev2d.example"

method=10 run_case classic ikev2d-rsa swan-ec ca "local-id ikev2d.example ; remote-id swan.example" \
	"swan.example|ikev2d.example" classic "RSA signature" "ikev2d.example"
check "strongSwan signed with ECDSA-384 (method 10)" \
	grep -q "authentication of 'swan.example' (myself) with ECDSA-384 signature successful" \
	"$B/charon.log"

# RFC 7383 both ways, twice (ikev2d initiates, then strongSwan): each side
# split its IKE_AUTH and reassembled the other's.
frag=576 run_case frag ikev2d-rsa swan-rsa ca "local-id ikev2d.example ; remote-id swan.example" \
	"swan.example|ikev2d.example" pss "RSA_EMSA_PKCS1_SHA2_256" "ikev2d.example"
check "ikev2d sent IKE_AUTH in fragments of at most 548 bytes (544 on port 4500)" \
	at_least 2 "message 1 in [0-9]* fragments of at most 54[48] bytes" "$A/ikev2d.log"
check "ikev2d reassembled strongSwan's IKE_AUTH" at_least 2 \
	"message 1 reassembled from [0-9]* fragments" "$A/ikev2d.log"
check "strongSwan split its IKE_AUTH into fragments" at_least 2 \
	"splitting IKE message .* into [0-9]* fragments" "$B/charon.log"
check "strongSwan reassembled ikev2d's IKE_AUTH" at_least 2 \
	"reassembled fragmented IKE message" "$B/charon.log"
check_fail "no fragment was refused" grep -q "fragment.*dropped" "$A/ikev2d.log"

log "=== untrusted: strongSwan's certificate is from a CA ikev2d does not trust"
setup untrusted ikev2d-ec swan-evil evil "local-id ikev2d.example ; remote-id swan.example" \
	"swan.example|ikev2d.example" nopss
start_both
check "strongSwan: initiate fails" swan_initiate_fails
wait_for 20 grep -q "received AUTHENTICATION_FAILED notify error" "$B/charon.log"
check "ikev2d refused the chain" \
	grep -q "authentication of the peer failed: certificate chain does not verify" "$A/ikev2d.log"
check "ikev2d answered AUTHENTICATION_FAILED" \
	grep -q "received AUTHENTICATION_FAILED notify error" "$B/charon.log"
wait_for 10 ikev2d_down
check "ikev2d has no IKE SA" ikev2d_down
check "ikev2d has no Child SA" ikev2d_no_child
wait_for 10 swan_no_sa
check "strongSwan has no IKE or Child SA" swan_no_sa

log "=== untrusted: strongSwan does not trust ikev2d's CA"
check "ikev2d: up swan" q ikectl "$A" up swan
wait_for 20 grep -q "IKE_AUTH failed: peer says AUTHENTICATION_FAILED (24)" "$A/ikev2d.log"
check "strongSwan refused ikev2d's certificate" \
	grep -q "no trusted .* public key found for 'ikev2d.example'" "$B/charon.log"
check "ikev2d has no IKE SA" ikev2d_down
check "ikev2d has no Child SA" ikev2d_no_child
check "strongSwan has no IKE or Child SA" swan_no_sa
ike_stop

rm -rf "$top"
