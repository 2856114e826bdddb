#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# ipsecctl against the real nfsec module, in a fresh network namespace:
#
#   selftests/vm/run -- userspace/ipsecctl/tests/vm-smoke.sh
#
# Not part of make check (it needs the module and root); the SPD selftests
# with traffic live under selftests/. This checks the CLI's side of the
# netlink contract: every command, -j output, errors with extack, and the
# design deck's Security Gateway SPD loaded atomically.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
bin=${IPSECCTL:-$here/../ipsecctl}
ns=ipsecctl-smoke-$$
tmp=$(mktemp -d)
cleanup() {
	[ -n "${mon:-}" ] && kill "$mon" 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT

modprobe nfsec
ip netns add "$ns"
n() { ip netns exec "$ns" "$bin" "$@"; }
pass=0
ok() { pass=$((pass + 1)); echo "ok $pass - $*"; }
die() { echo "not ok - $*" >&2; exit 1; }
# The SPD as "policy list" prints it; failing is fatal.
spd() { n "$@" policy list || die "policy list failed"; }
json_lines() { python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]; print("json ok")'; }

# An empty SPD in a new namespace.
out=$(spd)
[ -z "$out" ] || die "a new namespace has policies"
ok "empty SPD"

# add prints the id; get shows it; del removes it.
id=$(n policy add dir out dst 192.0.2.0/24 proto udp dport 53 action bypass)
[[ "$id" =~ ^[1-9][0-9]*$ ]] || die "policy add printed '$id'"
n policy get id "$id" | grep -q "dport 53" || die "policy get id $id"
n -j policy get id "$id" | json_lines >/dev/null
n policy del id "$id"
if n policy get id "$id" 2>"$tmp/err"; then die "deleted policy still there"; fi
ok "add/get/del (id $id)"

# Keywords in any order give the same policy.
a=$(n policy add action discard proto tcp dport 22 dir in src 10.0.0.0/8)
b=$(n policy add src 10.0.0.0/8 dir in dport 22 action discard proto tcp)
spd | sed 's/^id [0-9]* *//' | sort | uniq -c | grep -q '^ *2 ' ||
	die "the same words in another order made a different policy"
n policy flush
ok "any order ($a, $b)"

# Ranges and IPv6 survive the round trip through the kernel.
n policy add dir fwd src 10.0.0.5-10.0.0.9 dst 2001:db8::/32 action discard 2>"$tmp/err" &&
	die "mixed families accepted"
n policy add dir fwd src 2001:db8::5-2001:db8::9 dst 2001:db8:1::/48 proto ipv6-icmp type 128 action discard >/dev/null
spd | grep -q "src 2001:db8::5-2001:db8::9 *dst 2001:db8:1::/48" || die "IPv6 range lost"
n policy flush
ok "ranges and IPv6"

# The kernel's refusals come back with its words and exit status 2.
rc=0
n policy del id 4000000000 2>"$tmp/err" || rc=$?
cat "$tmp/err"
[ "$rc" = 2 ] || die "deleting a missing policy: exit $rc"
grep -q "policy del: " "$tmp/err" || die "no error text"
ok "kernel refusal reported"

# The Security Gateway SPD: check only, then load, atomically.
n -n -f "$here/../spd.conf.example" | grep -q "14 policies checked" || die "-n -f"
out=$(spd)
[ -z "$out" ] || die "-n changed the SPD"
n -f "$here/../spd.conf.example" | grep -q "14 policies loaded" || die "-f"
out=$(spd -j)
[ "$(echo "$out" | wc -l)" = 14 ] || die "not 14 policies after -f"
spd -j | json_lines
ok "Security Gateway SPD loaded"

# A bad file changes nothing, and the error names FILE:LINE.
printf 'dir out action bypass\ndir out proto tcp sport 5-1 action bypass\n' >"$tmp/bad.conf"
if n -f "$tmp/bad.conf" 2>"$tmp/err"; then die "bad file loaded"; fi
grep -q "bad.conf:2:" "$tmp/err" || die "no FILE:LINE in: $(cat "$tmp/err")"
out=$(spd -j)
[ "$(echo "$out" | wc -l)" = 14 ] || die "a bad file changed the SPD"
ok "bad file: FILE:LINE, SPD unchanged"

# Lookups: IKE passes, a client's packet is protected, the rest discarded.
n policy lookup dir in src 198.51.100.7 dst 192.0.2.1 proto udp sport 500 dport 500 | tee "$tmp/l1"
grep -q '^bypass' "$tmp/l1" || die "IKE not bypassed"
n policy lookup dir out src 192.0.2.1 dst 198.51.100.7 proto tcp sport 1 dport 2 | tee "$tmp/l2"
grep -qE '^(protect|discard)' "$tmp/l2" || die "clear traffic not protected or discarded"
n -j policy lookup dir fwd src 10.9.9.9 dst 10.1.1.1 | json_lines
ok "lookup"

# Monitor subscribes; stats answer; flush empties.
ip netns exec "$ns" "$bin" -j monitor >"$tmp/mon" 2>&1 &
mon=$!
sleep 1
kill -0 "$mon" || die "monitor exited: $(cat "$tmp/mon")"
n stats
n -j stats | json_lines
n policy flush
out=$(spd)
[ -z "$out" ] || die "flush left policies"
ok "monitor, stats, flush"

echo "1..$pass"
echo "$pass passed, 0 failed"
