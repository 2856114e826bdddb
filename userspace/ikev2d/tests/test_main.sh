#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Command-line behaviour of ikev2d, as TAP. Run from tests/.
IKEV2D=../ikev2d
n=0
fail=0

# t NAME EXPECTED_STATUS PATTERN ARGS...: run ikev2d, check status and output
t() {
	name=$1 want=$2 pattern=$3
	shift 3
	n=$((n + 1))
	out=$("$IKEV2D" "$@" 2>&1)
	rc=$?
	if [ "$rc" -eq "$want" ] && printf '%s\n' "$out" | grep -q -- "$pattern"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name"
		echo "# status $rc (want $want), output: $out"
		fail=1
	fi
}

echo "1..9"
t "help" 0 "^Usage: ikev2d" --help
t "version" 0 "^ikev2d (nfsec) " -V
t "bad option" 2 "^Usage: ikev2d" --frobnicate
t "check valid" 0 "data/site-a.conf: OK, 1 connection$" -c data/site-a.conf --check
t "check invalid" 1 "data/broken.conf:4: esp: 'aes256-md5': unknown algorithm 'md5'" \
	-c data/broken.conf --check
t "check missing" 1 "data/none.conf: No such file or directory" -c data/none.conf --check
t "bad log level" 2 "unknown log level 'loud'" -l loud --check -c data/site-a.conf
t "bad number" 2 "bad number 'x'" --retransmit-tries x --check -c data/site-a.conf
t "control socket" 1 "cannot create the control socket /nonexistent/ikev2d.sock" \
	-F --no-kernel --socket /nonexistent/ikev2d.sock -c data/site-a.conf
exit $fail
