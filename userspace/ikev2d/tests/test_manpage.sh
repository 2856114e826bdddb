#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The examples of ikev2d.conf(5) must pass ikev2d --check: each conn block
# shown between .nf and .fi is extracted, its /etc/nfsec files replaced by
# temporary ones: certificates (certs/), keys (private/) and CAs (cacerts/)
# made here with the openssl command for the subject of its local-id,
# everything else a PSK file. Prints TAP. Run from tests/.
set -u
IKEV2D=../ikev2d
MAN=../ikev2d.conf.5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "0x00112233445566778899aabbccddeeff" >"$tmp/secret"
if ! command -v openssl >/dev/null; then
	echo "1..0 # SKIP the openssl command is missing (apt-get install openssl)"
	exit 0
fi
# cert SUBJECT: $tmp/cert.pem and $tmp/cert.key, issued by $tmp/ca.pem
cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
		-subj "/CN=Example CA" -keyout "$tmp/ca.key" -out "$tmp/ca.pem" 2>/dev/null &&
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-subj "$1" -keyout "$tmp/cert.key" 2>/dev/null |
	openssl x509 -req -days 2 -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
		-out "$tmp/cert.pem" 2>/dev/null
}

# Each example to its own file: lines from "conn NAME {" to "}".
awk -v dir="$tmp" '
	/^\.nf/ { inex = 1; next }
	/^\.fi/ { inex = 0; next }
	inex && /^conn / { n++; f = dir "/example" n ".conf" }
	inex && f { gsub(/\\-/, "-"); print > f }
	inex && /^}/ { close(f); f = "" }
' "$MAN"

n=0
fail=0
count=$(ls "$tmp"/example*.conf 2>/dev/null | wc -l)
echo "1..$((count + 1))"
n=$((n + 1))
if [ "$count" -ge 2 ]; then
	echo "ok $n - ikev2d.conf.5 has at least two conn examples"
else
	echo "not ok $n - ikev2d.conf.5 has $count conn examples"
	fail=1
fi
for f in "$tmp"/example*.conf; do
	[ -e "$f" ] || continue
	n=$((n + 1))
	# local-id "C=CH, O=Example, CN=x" -> /C=CH/O=Example/CN=x
	subject=$(sed -n -E 's#.*local-id "([^"]*=[^"]*)".*#\1#p' "$f" | sed 's#, *#/#g')
	[ -z "$subject" ] || cert "/$subject" || echo "# cannot make a certificate for $subject"
	sed -i -E -e "s#/etc/nfsec/certs/[^ ;]+#$tmp/cert.pem#g" \
		-e "s#/etc/nfsec/private/[^ ;]+#$tmp/cert.key#g" \
		-e "s#/etc/nfsec/cacerts/[^ ;]+#$tmp/ca.pem#g" \
		-e "s#/etc/nfsec/[^ ;]+#$tmp/secret#g" "$f"
	name=$(awk '/^conn /{ print $2; exit }' "$f")
	if out=$("$IKEV2D" -c "$f" --check 2>&1); then
		echo "ok $n - example conn $name passes --check"
	else
		echo "not ok $n - example conn $name: $out"
		fail=1
	fi
done
exit $fail
