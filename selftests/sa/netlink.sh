#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The SA half of the netlink API, through ipsecctl and raw netlink: SAs of
# every algorithm family added, listed, read back, moved, deleted and
# flushed; SPI reservations; bad requests refused with the right errno and
# extack message and the SAD unchanged; EXPIRE events; namespaces isolated.
#
#   a (netns, nfsec loaded)   SAs, monitor
#   b (netns)                 must see none of a's SAs or events
#
# No traffic: the SAD is not wired to the hooks yet, so packet counters stay
# at 0 and "update keeps counters" is checked on what an SA does carry
# through (its age, sequence number, keys).
#
. "$(dirname "$0")/../lib.sh"

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
on_exit "kill \$(jobs -p) 2>/dev/null; rm -rf $tmp"

K16=000102030405060708090a0b0c0d0e0f
K32=${K16}101112131415161718191a1b1c1d1e1f
K48=${K32}202122232425262728292a2b2c2d2e2f
K64=${K48}303132333435363738393a3b3c3d3e3f
SALT=cafebabe

host_add a b
nfsec_load

# sa_json NS [ARGS]: "sa list" as one JSON array; jq on it
sa_json() { local ns=$1; shift; n "$ns" ipsecctl -j sa list "$@" | jq -s .; }
sa_count() { sa_json "$@" | jq length; }
sa_field() { n a ipsecctl -j sa get "${@:2}" | jq -r "$1"; }
# add DESC ARGS...: "sa add ARGS" in a must succeed
add() { local d=$1; shift; check "add $d" n a ipsecctl sa add "$@"; }

log "--- every algorithm family, ESP and AH, IPv4 and IPv6"
check_eq "a new namespace has no SA" 0 "$(sa_count a)"
O4="dir out src 192.0.2.1 dst 192.0.2.2 mode transport"
I4="dir in src 192.0.2.2 dst 192.0.2.1 mode transport"
O6="dir out src 2001:db8::1 dst 2001:db8::2 mode tunnel"
add "AES-GCM-128 (16-byte ICV), reqid" spi 0x1001 $O4 ipsec esp reqid 7 aead aes128gcm16 0x$K16$SALT
add "AES-GCM-256 8-byte ICV, kernel name" spi 0x1002 $O4 ipsec esp aead 'rfc4106(gcm(aes))' 0x$K32$SALT 64
add "AES-GCM-192 12-byte ICV, inbound" spi 0x1003 $I4 ipsec esp aead 'rfc4106(gcm(aes))' 0x${K16}0001020304050607$SALT 96
add "AES-GMAC" spi 0x1004 $O4 ipsec esp aead aes256gmac 0x$K32$SALT
add "ChaCha20-Poly1305, IPv6 tunnel" spi 0x1005 $O6 ipsec esp aead chacha20poly1305 0x$K32$SALT
add "AES-CBC + HMAC-SHA-256" spi 0x1006 $O4 ipsec esp enc aes128 0x$K16 auth sha256 0x$K32
add "AES-CBC + HMAC-SHA-384, combined name" spi 0x1007 $O4 ipsec esp enc aes256-sha384 0x$K32$K48
add "AES-CBC + HMAC-SHA-512 truncated to 384" spi 0x1008 $O4 ipsec esp enc aes256 0x$K32 auth 'hmac(sha512)' 0x$K64 384
add "null cipher + HMAC" spi 0x1009 $O4 ipsec esp enc null "" auth sha256 0x$K32
add "AH HMAC-SHA-256" spi 0x100a $O4 ipsec ah auth sha256 0x$K32
add "AH HMAC-SHA-384, IPv6" spi 0x100b $O6 ipsec ah auth sha384 0x$K48
add "AH HMAC-SHA-512 inbound, ESN" spi 0x100c $I4 ipsec ah auth sha512 0x$K64 esn replay-window 128
add "tunnel with selectors, DF, DSCP, ESP-in-UDP, lifetimes" spi 0x100d \
	dir out src 192.0.2.1 dst 192.0.2.3 mode tunnel ipsec esp reqid 9 aead aes128gcm16 0x$K16$SALT \
	sel src 10.1.0.0/24 dst 10.2.0.0-10.2.0.9 proto tcp dport 443 df set dscp 46 \
	encap espinudp 4500 4500 lifetime soft bytes 1000000 hard bytes 2000000 seconds 3600
check_eq "thirteen SAs listed" 13 "$(sa_count a)"
check_eq "three AH SAs (list filtered by protocol)" 3 "$(sa_count a ipsec ah)"
check_eq "reqid 7 has one SA" 0x00001001 "$(sa_json a reqid 7 | jq -r '.[].spi_hex')"

log "--- what the kernel gives back"
g() { sa_field "$1" spi "$2" dst "$3" ipsec "${4:-esp}"; }
check_eq "GCM: kernel name, ICV 128" "rfc4106(gcm(aes)) 128" "$(g '"\(.aead.name) \(.aead.icv_bits)"' 0x1001 192.0.2.2)"
check_eq "GCM 8-byte ICV" 64 "$(g .aead.icv_bits 0x1002 192.0.2.2)"
check_eq "an inbound SA gets the default window" 64 "$(g .replay_window 0x1003 192.0.2.1)"
check_eq "GMAC" "rfc4543(gcm(aes))" "$(g .aead.name 0x1004 192.0.2.2)"
check_eq "ChaCha, tunnel, IPv6" "rfc7539esp(chacha20,poly1305) tunnel inet6" \
	"$(g '"\(.aead.name) \(.mode) \(.family)"' 0x1005 2001:db8::2)"
check_eq "CBC + SHA-256 (RFC 4868 truncation)" "cbc(aes) hmac(sha256) 128" \
	"$(g '"\(.enc.name) \(.auth.name) \(.auth.icv_bits)"' 0x1006 192.0.2.2)"
check_eq "combined alias split into enc and auth" "cbc(aes) hmac(sha384) 192" \
	"$(g '"\(.enc.name) \(.auth.name) \(.auth.icv_bits)"' 0x1007 192.0.2.2)"
check_eq "SHA-512 truncated to 384" 384 "$(g .auth.icv_bits 0x1008 192.0.2.2)"
check_eq "null cipher" "ecb(cipher_null)" "$(g .enc.name 0x1009 192.0.2.2)"
check_eq "AH: auth only" "ah hmac(sha256) null null" \
	"$(g '"\(.ipsec) \(.auth.name) \(.aead) \(.enc)"' 0x100a 192.0.2.2 ah)"
check_eq "AH inbound, ESN, window 128" "true 128" "$(g '"\(.esn) \(.replay_window)"' 0x100c 192.0.2.1 ah)"
check_eq "selectors, prefix and range, proto, port" "10.1.0.0/24 10.2.0.0-10.2.0.9 tcp 443-443" \
	"$(g '"\(.sel.src) \(.sel.dst) \(.sel.proto) \(.sel.dport.min)-\(.sel.dport.max)"' 0x100d 192.0.2.3)"
check_eq "DF, DSCP, encap, lifetimes" "set 46 4500 4500 1000000 2000000 3600" \
	"$(g '"\(.df) \(.dscp) \(.encap.sport) \(.encap.dport) \(.lifetime_soft.bytes) \(.lifetime_hard.bytes) \(.lifetime_hard.seconds)"' 0x100d 192.0.2.3)"
check_eq "outbound SAs report their sequence number, stats and drops" "0 0 10" \
	"$(g '"\(.seq) \(.stats.packets) \(.stats.drops | length)"' 0x1001 192.0.2.2)"

log "--- keys only when asked for"
check_eq "no key in any listed SA" 0 "$(sa_json a | jq '[.[] | .. | .key? // empty] | length')"
check "nor in the text listing" bash -c "! ip netns exec a ipsecctl sa list | grep -q 0001020304"
check_eq "--keys shows the GCM key with its salt" "0x$K16$SALT" \
	"$(n a ipsecctl -j --keys sa get spi 0x1001 dst 192.0.2.2 ipsec esp | jq -r .aead.key)"
check_eq "--keys shows both keys of CBC + HMAC" "0x$K16 0x$K32" \
	"$(n a ipsecctl -j sa list --keys | jq -r 'select(.spi == 4102) | "\(.enc.key) \(.auth.key)"')"

log "--- update moves an SA; what it carries stays"
age() { sa_field .current.seconds spi 0x1001 dst "$1" ipsec esp; }
wait_for 10 bash -c "[ \$(ip netns exec a ipsecctl -j sa get spi 0x1001 dst 192.0.2.2 ipsec esp | jq .current.seconds) -ge 1 ]"
before=$(age 192.0.2.2)
check "update to a new dst with ESP-in-UDP" \
	n a ipsecctl sa update spi 0x1001 dst 192.0.2.2 ipsec esp new-dst 198.51.100.9 encap espinudp 4500 4501
check_fail "the old identity is gone" q n a ipsecctl sa get spi 0x1001 dst 192.0.2.2 ipsec esp
check_eq "new path, encap ports" "192.0.2.1 198.51.100.9 4500 4501" \
	"$(g '"\(.src) \(.dst) \(.encap.sport) \(.encap.dport)"' 0x1001 198.51.100.9)"
after=$(age 198.51.100.9)
check "the same SA: its age went on ($before s, then $after s)" test "$after" -ge "$before"
check_eq "keys, reqid, ICV and sequence number kept" "0x$K16$SALT 7 128 0" \
	"$(n a ipsecctl -j --keys sa get spi 0x1001 dst 198.51.100.9 ipsec esp | jq -r '"\(.aead.key) \(.reqid) \(.aead.icv_bits) \(.seq)"')"
check "new-src alone keeps the encapsulation" \
	n a ipsecctl sa update spi 0x1001 dst 198.51.100.9 ipsec esp new-src 192.0.2.5
check_eq "src moved, encap kept" "192.0.2.5 4500" "$(g '"\(.src) \(.encap.sport)"' 0x1001 198.51.100.9)"
check "encap none" n a ipsecctl sa update spi 0x1001 dst 198.51.100.9 ipsec esp encap none
check_eq "no encapsulation left" null "$(g .encap 0x1001 198.51.100.9)"
check "a tunnel SA may change family (MOBIKE)" \
	n a ipsecctl sa update spi 0x100d dst 192.0.2.3 ipsec esp new-src 2001:db8::1 new-dst 2001:db8::3
check_eq "it is IPv6 now, selectors unchanged" "inet6 10.1.0.0/24" \
	"$(g '"\(.family) \(.sel.src)"' 0x100d 2001:db8::3)"

log "--- delete and flush"
check "del" n a ipsecctl sa del spi 0x1002 dst 192.0.2.2 ipsec esp
check_fail "a deleted SA cannot be read" q n a ipsecctl sa get spi 0x1002 dst 192.0.2.2 ipsec esp
check "flush AH only" n a ipsecctl sa flush ipsec ah
check_eq "ESP SAs stay" "0 9" "$(sa_count a ipsec ah) $(sa_count a)"
check "flush everything" n a ipsecctl sa flush
check_eq "nothing left" 0 "$(sa_count a)"

log "--- a batch (-b): its lines on one socket, stopping at the first failure"
key="0x$K16$SALT"
printf '%s\n' "sa add spi 0x6001 $O4 ipsec esp aead aes128gcm16 $key" \
	"policy add dir out src 10.9.0.0/24 dst 10.8.0.0/24 action discard" \
	"sa list" "sa add spi 0x6002 $O4 ipsec esp aead aes128gcm16 $key" >"$tmp/ok.batch"
check "a batch of SAs, a policy and a dump" q n a ipsecctl -b "$tmp/ok.batch"
check_eq "its SAs and policy are there" "2 1" \
	"$(sa_count a) $(n a ipsecctl -j policy list | jq -s length)"
printf '%s\n' "sa add spi 0x6003 $O4 ipsec esp aead aes128gcm16 $key" \
	"sa add spi 0x6001 $O4 ipsec esp aead aes128gcm16 $key" \
	"sa add spi 0x6004 $O4 ipsec esp aead aes128gcm16 $key" >"$tmp/dup.batch"
check_fail "a batch with an SA that exists fails" q n a ipsecctl -b "$tmp/dup.batch"
check_eq "the line before it took effect, none after" "$((0x6001)) $((0x6002)) $((0x6003))" \
	"$(sa_json a | jq -r '[.[].spi] | sort | map(tostring) | join(" ")')"
n a ipsecctl sa flush
n a ipsecctl policy flush

log "--- SPI reservations"
reserved_at=$SECONDS
spis=()
for i in $(seq 16); do
	spis+=("$(n a ipsecctl spi alloc dst 192.0.2.1 ipsec esp min 0x2000 max 0x200f)")
done
check_eq "16 SPIs from a 16-SPI range, all different" 16 "$(printf '%s\n' "${spis[@]}" | sort -u | wc -l)"
check_eq "all inside the range" 16 "$(printf '%s\n' "${spis[@]}" | grep -c '^0x0000200[0-9a-f]$')"
rc=0
n a ipsecctl spi alloc dst 192.0.2.1 ipsec esp min 0x2000 max 0x200f 2>"$tmp/err" || rc=$?
check_eq "the 17th is refused (exit 2)" 2 "$rc"
check "... with ENOSPC and the kernel's words" grep -q "no free SPI between SPI_MIN and SPI_MAX.*No space left" "$tmp/err"
check_eq "reservations are not SAs: none listed" 0 "$(sa_count a)"
check "the same range for another protocol is free" q n a ipsecctl spi alloc dst 192.0.2.1 ipsec ah min 0x2000 max 0x200f
spi=${spis[5]}
rc=0
n a ipsecctl sa add dir out spi "$spi" src 192.0.2.2 dst 192.0.2.1 mode transport ipsec esp \
	aead aes128gcm16 0x$K16$SALT 2>"$tmp/err" || rc=$?
check "an outbound SA cannot take a reserved inbound SPI (EEXIST)" grep -q "File exists" "$tmp/err"
add "an inbound SA takes its reservation" spi "$spi" $I4 ipsec esp aead aes128gcm16 0x$K16$SALT
check_eq "it is listed" "$spi" "$(sa_json a | jq -r '.[].spi_hex')"
# The other 15 reservations last NFSEC_SPI_RESERVE_SECS (60 s): a heavily
# loaded debug kernel can take that long to get here.
if [ $((SECONDS - reserved_at)) -lt 50 ]; then
	check_fail "the range is still full" q n a ipsecctl spi alloc dst 192.0.2.1 ipsec esp min 0x2000 max 0x200f
	check "del the SA" n a ipsecctl sa del spi "$spi" dst 192.0.2.1 ipsec esp
	check_eq "its SPI is the one free again" "$spi" \
		"$(n a ipsecctl spi alloc dst 192.0.2.1 ipsec esp min 0x2000 max 0x200f)"
else
	log "the reservations are $((SECONDS - reserved_at)) s old and may have lapsed: range checks left out"
	check "del the SA" n a ipsecctl sa del spi "$spi" dst 192.0.2.1 ipsec esp
fi
one=$(n a ipsecctl -j spi alloc dst 2001:db8::1 ipsec esp | jq .spi)
check "without a range: 256 or more" test "$one" -ge 256
check "flush drops the reservations too" n a ipsecctl sa flush
check "the range is free again" q n a ipsecctl spi alloc dst 192.0.2.1 ipsec esp min 0x2000 max 0x200f
n a ipsecctl sa flush

log "--- bad requests: errno and extack, and the SAD unchanged"
add "one SA to leave alone" spi 0x3001 $O4 ipsec esp aead aes128gcm16 0x$K16$SALT
add "one AH SA for updates" spi 0x3002 $O4 ipsec ah auth sha256 0x$K32
check "every bad request is refused, the SAD unchanged" \
	n a python3 "$here/bad_input.py" "$here/../spd"

log "--- objects owned by a socket go when it closes (owned.py)"
host_add owned
check "owned SAs and policies go with their socket, nothing else does" \
	n owned python3 "$here/owned.py" "$here/../spd"
ip netns del owned

log "--- ipsecctl shows the kernel's refusals"
rc=0
n a ipsecctl sa add spi 0x3001 $O4 ipsec esp aead aes128gcm16 0x$K16$SALT 2>"$tmp/err" || rc=$?
check_eq "duplicate: exit 2" 2 "$rc"
check "... 'exists', EEXIST" grep -q "an SA with this SPI, DST and PROTO exists.*File exists" "$tmp/err"
n a ipsecctl sa del spi 0x3009 dst 192.0.2.2 ipsec esp 2>"$tmp/err" || true
check "del of a missing SA: ESRCH" grep -q "no SA with this SPI, DST and PROTO.*No such process" "$tmp/err"
n a ipsecctl spi alloc dst 192.0.2.1 ipsec esp min 1 max 300 2>"$tmp/err" || true
check "spi alloc below 256: the kernel says why" grep -q "SPI_MIN below 256" "$tmp/err"

log "--- unprivileged: reads without keys only"
nobody() { n a setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all --bounding-set=-all "$@"; }
check_eq "an unprivileged list works" 2 "$(nobody ipsecctl -j sa list | wc -l)"
check_fail "an unprivileged --keys is refused" q nobody ipsecctl sa list --keys
check_fail "an unprivileged get --keys is refused" q nobody ipsecctl sa get spi 0x3001 dst 192.0.2.2 ipsec esp --keys
check_fail "an unprivileged add is refused" q nobody ipsecctl sa add spi 0x3003 $O4 ipsec esp aead aes128gcm16 0x$K16$SALT
check_eq "still two SAs" 2 "$(sa_count a)"
# Events carry traffic's addresses: listening takes CAP_NET_ADMIN. A refused
# monitor ends at once; an accepted one would run until timeout (124).
monitor_refused() {
	local rc=0
	nobody timeout 10 ipsecctl monitor 2>"$tmp/err" || rc=$?
	[ $rc != 0 ] && [ $rc != 124 ] && grep -q "not permitted" "$tmp/err"
}
check "an unprivileged monitor is refused" monitor_refused
n a ipsecctl sa flush

log "--- EXPIRE: soft then hard; the SA goes"
n a ipsecctl -j monitor >"$tmp/mon-a" 2>&1 &
n b ipsecctl -j monitor >"$tmp/mon-b" 2>&1 &
# Subscribed: a generic-netlink socket (protocol 16) of the namespace has
# joined a multicast group (nfsec's events group has a low id).
mon_ready() { n "$1" awk '$2 == 16 && $4 != "00000000" { f = 1 } END { exit !f }' /proc/net/netlink; }
wait_for 10 mon_ready a
wait_for 10 mon_ready b
add "soft after 1 s, hard after 3 s" spi 0x4001 $O4 ipsec esp reqid 5 aead aes128gcm16 0x$K16$SALT \
	lifetime soft seconds 1 hard seconds 3
add "soft after 1 s only" spi 0x4002 $O4 ipsec esp aead aes128gcm16 0x$K16$SALT lifetime soft seconds 1
ev() { grep '"event":"expire"' "$tmp/mon-a" | jq -r "select(.sa.spi == $1 and .kind == \"$2\") | .reason"; }
hard_seen() { [ -n "$(ev 16385 hard)" ]; }
wait_for 20 hard_seen
check_eq "soft EXPIRE for 0x4001, reason seconds" seconds "$(ev 16385 soft)"
check_eq "hard EXPIRE for 0x4001, reason seconds" seconds "$(ev 16385 hard)"
check_eq "soft came before hard" "soft hard" \
	"$(grep '"spi":16385' "$tmp/mon-a" | jq -r .kind | tr '\n' ' ' | sed 's/ $//')"
check_eq "the event names the SA" "out 192.0.2.1 192.0.2.2 5" \
	"$(grep '"kind":"hard"' "$tmp/mon-a" | jq -r '"\(.sa.dir) \(.sa.src) \(.sa.dst) \(.sa.reqid)"')"
check_fail "the hard-expired SA is gone" q n a ipsecctl sa get spi 0x4001 dst 192.0.2.2 ipsec esp
check_eq "the soft-only SA had its soft EXPIRE" seconds "$(ev 16386 soft)"
check "and is still there" q n a ipsecctl sa get spi 0x4002 dst 192.0.2.2 ipsec esp
check_eq "nothing hard for it" "" "$(ev 16386 hard)"

log "--- namespaces are isolated"
check_eq "b sees none of a's SAs" 0 "$(sa_count b)"
check_eq "b's monitor saw none of a's events" 0 "$(grep -c expire "$tmp/mon-b" || true)"
check "b can use a's SPI and destination" \
	n b ipsecctl sa add spi 0x4002 $O4 ipsec esp aead aes128gcm16 0x$K16$SALT
check "b flushes its own" n b ipsecctl sa flush
check_eq "a's SA is still there" 1 "$(sa_count a)"

log "--- a namespace deleted with SAs and reservations leaves nothing behind"
n b ipsecctl sa add spi 0x5001 $O4 ipsec esp aead aes128gcm16 0x$K16$SALT lifetime hard seconds 60
n b ipsecctl spi alloc dst 192.0.2.1 ipsec esp >/dev/null
kill %2 2>/dev/null || true
wait %2 2>/dev/null || true
ip netns del b
_hosts=(a)
check "nfsec still works in a" q n a ipsecctl sa list
