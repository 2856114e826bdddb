#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Smoke tests of the ipsecctl binary that need no nfsec module: usage and
# parse errors, exit codes, and -n -f against a kernel without nfsec.
# Prints TAP.
set -u
bin=${1:-./ipsecctl}
dir=$(dirname "$0")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0

# expect NAME RC PATTERN -- ARGS...: exit code RC, stderr+stdout matching PATTERN
expect() {
	name=$1 rc=$2 pat=$3
	shift 4
	n=$((n + 1))
	"$bin" "$@" >"$tmp/out" 2>&1
	got=$?
	if [ "$got" -eq "$rc" ] && grep -q -e "$pat" "$tmp/out"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name (exit $got, wanted $rc; output:)"
		sed 's/^/#   /' "$tmp/out"
		failed=$((failed + 1))
	fi
}

nfsec_loaded() {
	grep -q '^nfsec ' /proc/modules 2>/dev/null
}

expect "no command: usage" 1 "Usage: ipsecctl" --
expect "--help" 0 "Commands:" -- --help
expect "-V" 0 "ipsecctl [0-9]" -- -V
expect "unknown option" 1 'unknown option "-x"' -- -x
expect "unknown command" 1 'unknown command "route"' -- route
expect "policy without a command" 1 "Usage: ipsecctl policy add" -- policy
expect "policy help" 0 "policy lookup dir" -- policy help
expect "bad value names the word" 1 'bad sport "99999"' -- policy add dir out proto tcp sport 99999 action bypass
expect "bad value is marked" 1 '>>>99999<<<' -- policy add dir out proto tcp sport 99999 action bypass
expect "full usage on bad arguments" 1 'tunnel SRC DST' -- policy add dir out
expect "options after the command: a hint" 1 'options such as -j go before the command' -- policy list -j
expect "get without id" 1 'missing "id N"' -- policy get
expect "del without id" 1 'missing "id N"' -- policy del
expect "lookup with a prefix" 1 'expected one address' -- policy lookup dir out src 10.0.0.0/8 dst 10.0.0.1
expect "-n needs -f" 1 '-n only applies to -f' -- -n policy list
expect "-f takes no command" 1 '-f takes no command' -- -f /dev/null policy list
expect "missing file" 1 'No such file' -- -f "$tmp/none.conf"
expect "monitor takes no arguments" 1 'unexpected "now"' -- monitor now
expect "stats takes no arguments" 1 'unexpected "all"' -- stats all

cat >"$tmp/bad.conf" <<'CONF'
# two bad lines
dir out action bypass
dir out proto udp dport 70000 action bypass

dir in src 10.0.0.0/33 action discard
CONF
expect "file errors name FILE:LINE (1)" 1 "bad.conf:3: bad dport \"70000\"" -- -n -f "$tmp/bad.conf"
expect "file errors name FILE:LINE (2)" 1 "bad.conf:5: bad src" -- -n -f "$tmp/bad.conf"
expect "file errors are counted" 1 "2 errors; nothing loaded" -- -f "$tmp/bad.conf"

# The man page's examples parse: without the module they get as far as
# connecting (exit 2), never to a usage error (exit 1).
if ! nfsec_loaded; then
	expect "man: site-to-site out" 2 "modprobe nfsec" -- policy add dir out src 10.1.0.0/16 dst 10.2.0.0/16 action protect ipsec esp mode tunnel tunnel 192.0.2.1 198.51.100.1 reqid 1
	expect "man: site-to-site fwd" 2 "modprobe nfsec" -- policy add dir fwd src 10.2.0.0/16 dst 10.1.0.0/16 action protect tunnel 198.51.100.1 192.0.2.1 reqid 1
	expect "man: icmp bypass" 2 "modprobe nfsec" -- policy add dir out proto icmp type 8 priority 10 action bypass
	expect "man: lookup" 2 "modprobe nfsec" -- policy lookup dir out src 10.1.0.1 dst 10.2.0.1 proto icmp type 8 code 0
	expect "man: IPv6 range" 2 "modprobe nfsec" -- policy add dir out dst 2001:db8::100-2001:db8::1ff action discard
	expect "man: list" 2 "modprobe nfsec" -- -j -s policy list
	# The Security Gateway example, as the man page prints it.
	sed -n '/^\.B The Security Gateway/,/^\.EE/p' "$dir/../ipsecctl.8" |
		sed -n '/^\.EX/,/^\.EE/p' | sed '/^\.E[XE]/d; s/\\e$/\\/; s/\\-/-/g' >"$tmp/sg.conf"
	expect "man: Security Gateway SPD" 0 "10 policies parsed" -- -n -f "$tmp/sg.conf"
fi

if nfsec_loaded; then
	echo "ok $((n + 1)) - # SKIP nfsec is loaded here; -n -f goes to the kernel"
	n=$((n + 1))
else
	expect "-n -f without the module checks syntax" 0 "14 policies parsed" -- -n -f "$dir/../spd.conf.example"
	expect "without the module: a clear hint" 2 "modprobe nfsec" -- policy list
fi

echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
