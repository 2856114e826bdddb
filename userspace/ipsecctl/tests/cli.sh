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
expect "-b takes no command" 1 '-b takes no command' -- -b /dev/null policy list
expect "-b: missing file" 1 'No such file' -- -b "$tmp/none.batch"
printf 'sa add dir out "spi 1\n' >"$tmp/quote.batch"
expect "-b: a bad quote names the line" 1 'quote.batch:1: a quote is not closed' -- -b "$tmp/quote.batch"
printf '# nothing\n\nsa add dir sideways\n' >"$tmp/bad.batch"
expect "-b: a bad command names its line" 1 'bad.batch:3: command failed' -- -b "$tmp/bad.batch"
printf '# help twice\n\nsa help\npolicy help # and a comment\n' >"$tmp/help.batch"
expect "-b: every line runs" 0 'policy lookup dir' -- -b "$tmp/help.batch"
expect "monitor takes no arguments" 1 'unexpected "now"' -- monitor now
expect "stats takes no arguments" 1 'unexpected "all"' -- stats all

# sa and spi: parse errors name the word, keys are never echoed.
K20=000102030405060708090a0b0c0d0e0f10111213
K32=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
SA="dir out spi 0x1000 src 192.0.2.1 dst 192.0.2.2 ipsec esp mode transport"
expect "sa without a command" 1 "Usage: ipsecctl sa add" -- sa
expect "sa help" 0 "spi alloc dst ADDR" -- sa help
expect "sa unknown command" 1 'sa: unknown command "move"' -- sa move
expect "sa add: key length with salt" 1 'aes128gcm16 needs 20 bytes (a 16-byte key and a 4-byte salt), not 16' -- sa add $SA aead aes128gcm16 000102030405060708090a0b0c0d0e0f
expect "sa add: the key is not echoed" 1 '>>>KEY<<<' -- sa add $SA aead aes128gcm16 000102030405060708090a0b0c0d0e0f
expect "sa add: bad ICV marked" 1 '>>>100<<<' -- sa add $SA aead 'rfc4106(gcm(aes))' $K20 100
expect "sa add: unknown algorithm" 1 'unknown enc algorithm "des"' -- sa add $SA enc des $K32 auth sha256 $K32
expect "sa add: bad spi" 1 'bad spi "0"' -- sa add dir out spi 0
expect "sa add: ESP needs algorithms" 1 'ESP needs aead, or enc with auth' -- sa add $SA
expect "sa add: fwd is no SA direction" 1 "an SA's dir is in or out" -- sa add dir fwd
expect "sa get needs dst" 1 '"dst" is required' -- sa get spi 1 ipsec esp
expect "sa del: --keys is for get and list" 1 '--keys and -s are for get and list' -- sa del spi 1 dst 192.0.2.2 ipsec esp --keys
expect "sa update: nothing to change" 1 'nothing to change' -- sa update spi 1 dst 192.0.2.2 ipsec esp
expect "sa flush: bad protocol" 1 'bad ipsec "gre"' -- sa flush ipsec gre
expect "spi alloc: min without max" 1 'give min and max together' -- spi alloc dst 192.0.2.2 ipsec esp min 256
expect "spi without a command" 1 'Usage: ipsecctl sa add' -- spi
expect "ike: unknown command" 1 'unknown ike command' -- ike start x
expect "ike up needs a NAME" 1 'needs the NAME' -- ike up
expect "ike: -S needs a PATH" 1 '-S needs a PATH' -- -S
expect "ike: no daemon" 2 'is ikev2d running' -- -S "$tmp/none.sock" ike list
IKEV2D_SOCKET="$tmp/env.sock"; export IKEV2D_SOCKET
expect "ike: IKEV2D_SOCKET names the socket" 2 "cannot connect to $tmp/env.sock" -- ike list
expect "ike: -S wins over IKEV2D_SOCKET" 2 "cannot connect to $tmp/opt.sock" -- -S "$tmp/opt.sock" ike list
unset IKEV2D_SOCKET

# ike against a fake ikev2d: a Unix socket that answers as
# userspace/ikev2d/ikectl-protocol.md says (needs python3).
if command -v python3 >/dev/null 2>&1; then
	cat >"$tmp/fake_ikev2d.py" <<'PY'
import os, socket, sys
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(4)
open(path + ".ready", "w").close()
replies = {
    "list": "ike swan[1] ESTABLISHED initiator local 10.0.0.1:500 remote 10.0.0.2:500 "
            "spis 8c1e4f0a9b2d3c4e_i* 5d6e7f8091a2b3c4_r ike AES_GCM_16-128/PRF_HMAC_SHA2_256/CURVE_25519 "
            "established 3s ago\n"
            "child swan[1] INSTALLED TUNNEL spis c63c127d_i 80f84d7f_o esp AES_GCM_16-128 "
            "established 3s ago local 10.1.0.0/24 remote 10.2.0.0/24\nOK\n",
    "up swan": "initiating swan\nOK\n",
    "down nope": "ERR no IKE SA for 'nope'\n",
    "reload": "OK\n",
}
for _ in range(int(sys.argv[2])):
    c, _a = s.accept()
    line = c.makefile("r").readline().rstrip("\r\n")
    c.sendall(replies.get(line, "ERR usage: list | up NAME | down NAME | reload\n").encode())
    c.close()
PY
	python3 "$tmp/fake_ikev2d.py" "$tmp/ike.sock" 6 &
	fake_pid=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		[ -e "$tmp/ike.sock.ready" ] && break
		sleep 0.2
	done
	expect "ike list: the daemon's lines" 0 '^child swan\[1\] INSTALLED TUNNEL' -- -S "$tmp/ike.sock" ike list
	expect "ike list -j: one object per IKE SA" 0 '"children":\[{"name":"swan","id":1,"state":"INSTALLED"' -- -S "$tmp/ike.sock" -j ike list
	expect "ike up" 0 '^initiating swan$' -- -S "$tmp/ike.sock" ike up swan
	expect "ike down: the daemon's ERR, exit 2" 2 "ike down: no IKE SA for 'nope'" -- -S "$tmp/ike.sock" ike down nope
	expect "ike reload -j" 0 '{"command":"reload","ok":true,"messages":\[\]}' -- -S "$tmp/ike.sock" -j ike reload
	expect "ike up -j: the error" 2 '"ok":false,"error":"usage: list' -- -S "$tmp/ike.sock" -j ike up other
	wait "$fake_pid"
else
	echo "ok $((n + 1)) - # SKIP no python3 for a fake ikev2d"
	n=$((n + 1))
fi

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
	# The transport-mode ESP pair of the man page (host A's side).
	expect "man: sa out" 2 "modprobe nfsec" -- sa add dir out spi 0x1001 src 192.0.2.1 dst 192.0.2.2 ipsec esp mode transport reqid 1 aead aes128gcm16 0x0123456789abcdef0123456789abcdef01020304
	expect "man: sa in" 2 "modprobe nfsec" -- sa add dir in spi 0x1002 src 192.0.2.2 dst 192.0.2.1 ipsec esp mode transport reqid 1 aead 'rfc4106(gcm(aes))' 0xfedcba9876543210fedcba987654321005060708 128 replay-window 64
	expect "man: sa cbc+hmac" 2 "modprobe nfsec" -- sa add dir out spi 0x2001 src 192.0.2.1 dst 192.0.2.2 ipsec esp mode tunnel enc aes256-sha256 $K32$K32 sel src 10.1.0.0/24 dst 10.2.0.0/24 lifetime soft seconds 3000 hard seconds 3600 df copy
	expect "man: sa nat-t update" 2 "modprobe nfsec" -- sa update spi 0x1001 dst 192.0.2.2 ipsec esp new-dst 198.51.100.9 encap espinudp 4500 4500
	expect "man: sa list" 2 "modprobe nfsec" -- -s sa list ipsec esp
	expect "man: spi alloc" 2 "modprobe nfsec" -- spi alloc dst 192.0.2.1 ipsec esp min 0x1000 max 0x1fff
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
