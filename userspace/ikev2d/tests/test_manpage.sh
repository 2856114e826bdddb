#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The examples of ikev2d.conf(5) must pass ikev2d --check: each conn block
# shown between .nf and .fi is extracted, its /etc/nfsec files replaced by
# temporary ones. Prints TAP. Run from tests/.
set -u
IKEV2D=../ikev2d
MAN=../ikev2d.conf.5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "0x00112233445566778899aabbccddeeff" >"$tmp/secret"

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
	sed -i -E "s#/etc/nfsec/[^ ;]+#$tmp/secret#g" "$f"
	name=$(awk '/^conn /{ print $2; exit }' "$f")
	if out=$("$IKEV2D" -c "$f" --check 2>&1); then
		echo "ok $n - example conn $name passes --check"
	else
		echo "not ok $n - example conn $name: $out"
		fail=1
	fi
done
exit $fail
