# SPDX-License-Identifier: GPL-2.0
#
# Helpers for nfsec selftests; sourced by every test script. Tests run as root
# inside the bench VM (selftests/vm/run), where hosts are network namespaces.
# Model: WireGuard's tools/testing/selftests/wireguard/netns.sh.
#
#   host_add NAME...                 new namespaces with lo up
#   link_add A B                     veth pair A:eth-B <-> B:eth-A
#   addr_add NS DEV ADDR/LEN...      addresses (IPv6 without DAD)
#   topo_pair                        two hosts, 10.0.0.0/24 and fd00::/64
#   topo_router                      a - r - b, r forwards 10.1/10.2 and fd01/fd02
#   n NS CMD...                      run CMD in namespace NS
#   esp_transport NS LOCAL REMOTE    a transport-mode AES-GCM ESP pair from
#                                    LOCAL to REMOTE (reqid 1, IPv6: 2) and
#                                    its PROTECT policies; run it on both sides
#   wait_for SECONDS CMD...          poll until CMD succeeds, fail on timeout
#                                    (CMD runs again each time, its words
#                                    do not: poll a function, not a $(...))
#   within SECS CMD...               CMD succeeds within SECS seconds of
#                                    wall time (for check)
#   check DESC CMD...                CMD must succeed
#   check_fail DESC CMD...           CMD must fail
#   check_eq DESC EXPECTED ACTUAL    equality with a message
#   q CMD...                         CMD with its stdout discarded
#   skip REASON                      exit with the skip status (4)
#   on_exit CMD...                   run CMD when the test ends (before the
#                                    namespaces go), e.g. to stop a daemon
#
# Every namespace created is deleted on exit, and the test fails if one is
# left behind or if nfsec was left loaded by a test that loaded it.
set -eu

NFSEC_SKIP=4
_hosts=()
_on_exit=()
_failed=0
_checks=0

log() { printf '# %s\n' "$*"; }
fail() { printf 'FAIL: %s\n' "$*"; exit 1; }
skip() { printf 'SKIP: %s\n' "$*"; exit $NFSEC_SKIP; }

n() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

host_add() {
	local h
	for h in "$@"; do
		ip netns add "$h"
		_hosts+=("$h")
		n "$h" ip link set lo up
		# Tests see packets as a router does: no reverse-path filter games.
		n "$h" sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
	done
}

link_add() {
	local a=$1 b=$2
	ip link add "eth-$b" netns "$a" type veth peer name "eth-$a" netns "$b"
	n "$a" ip link set "eth-$b" up
	n "$b" ip link set "eth-$a" up
}

addr_add() {
	local ns=$1 dev=$2 a
	shift 2
	for a in "$@"; do
		case "$a" in
		*:*) n "$ns" ip -6 addr add "$a" dev "$dev" nodad ;;
		*) n "$ns" ip addr add "$a" dev "$dev" ;;
		esac
	done
}

# a (10.0.0.1, fd00::1) <-> b (10.0.0.2, fd00::2)
topo_pair() {
	host_add a b
	link_add a b
	addr_add a eth-b 10.0.0.1/24 fd00::1/64
	addr_add b eth-a 10.0.0.2/24 fd00::2/64
}

# a (10.1.0.2, fd01::2) <-> r (10.1.0.1 | 10.2.0.1) <-> b (10.2.0.2, fd02::2)
topo_router() {
	host_add a r b
	link_add a r
	link_add r b
	addr_add a eth-r 10.1.0.2/24 fd01::2/64
	addr_add r eth-a 10.1.0.1/24 fd01::1/64
	addr_add r eth-b 10.2.0.1/24 fd02::1/64
	addr_add b eth-r 10.2.0.2/24 fd02::2/64
	n a ip route add default via 10.1.0.1
	n a ip -6 route add default via fd01::1
	n b ip route add default via 10.2.0.1
	n b ip -6 route add default via fd02::1
	n r sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

wait_for() {
	local secs=$1 i
	shift
	for ((i = 0; i < secs * 10; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	fail "timed out after ${secs}s waiting for: $*"
}

# within SECS CMD...: CMD succeeds within SECS seconds of wall time (for
# check: a timeout fails the check, not the test). Unlike wait_for it counts
# time, not tries: a CMD that takes seconds under TCG does not stretch it.
within() {
	local end=$((SECONDS + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# _verdict OK DESC [WHY]: print the TAP line; a failure ends the test.
_verdict() {
	_checks=$((_checks + 1))
	if [ "$1" = 0 ]; then
		printf 'ok %d - %s\n' $_checks "$2"
	else
		printf 'not ok %d - %s\n' $_checks "$2"
		fail "$2${3:+: $3}"
	fi
}

# (The "|| rc=$?" forms keep set -e from ending the test before it reports.)
check() {
	local desc=$1 rc=0
	shift
	"$@" || rc=$?
	_verdict $rc "$desc" "command failed: $*"
}

check_fail() {
	local desc=$1 rc=0
	shift
	"$@" && rc=1
	_verdict $rc "$desc" "expected failure: $*"
}

check_eq() {
	local rc=0
	[ "$2" = "$3" ] || rc=1
	_verdict $rc "$1" "expected '$2', got '$3'"
}

q() { "$@" >/dev/null; }

ping_ok() { n "$1" ping -q -c 1 -W 2 "$2" >/dev/null 2>&1; }

# The SPI from the lower address is 0x100, 0x200 the other way, each
# direction with its own key: both sides agree without being told. IPv6
# pairs take SPIs 0x101/0x201 and reqid 2, so that a host can have both,
# and neighbour discovery bypasses them (a neighbour advertisement that
# arrived through ESP would teach nfsec0, not the link, the peer's address).
esp_transport() {
	local ns=$1 l=$2 r=$3 gcm="rfc4106(gcm(aes))" reqid=1 v6=0
	local kout=0x000102030405060708090a0b0c0d0e0f10111213
	local kin=0x100102030405060708090a0b0c0d0e0f10111213
	local out in
	case $l in *:*) reqid=2 v6=1 ;; esac
	out=$((0x100 + v6)) in=$((0x200 + v6))
	if [[ "$l" > "$r" ]]; then
		out=$((0x200 + v6)) in=$((0x100 + v6))
		kout=0x100102030405060708090a0b0c0d0e0f10111213
		kin=0x000102030405060708090a0b0c0d0e0f10111213
	fi
	n "$ns" ipsecctl sa add dir out spi $out src "$l" dst "$r" ipsec esp mode transport \
		reqid $reqid aead "$gcm" $kout 128 &&
	n "$ns" ipsecctl sa add dir in spi $in src "$r" dst "$l" ipsec esp mode transport \
		reqid $reqid aead "$gcm" $kin 128 replay-window 1024 &&
	n "$ns" ipsecctl policy add dir out src "$l" dst "$r" priority 100 \
		action protect ipsec esp mode transport reqid $reqid >/dev/null &&
	n "$ns" ipsecctl policy add dir in src "$r" dst "$l" priority 100 \
		action protect ipsec esp mode transport reqid $reqid >/dev/null || return
	[ $v6 = 1 ] || return 0
	local t d
	for t in 133 134 135 136; do
		for d in in out; do
			n "$ns" ipsecctl policy add dir $d src "$r" dst "$l" proto ipv6-icmp \
				type $t priority 10 action bypass >/dev/null &&
			n "$ns" ipsecctl policy add dir $d src "$l" dst "$r" proto ipv6-icmp \
				type $t priority 10 action bypass >/dev/null || return
		done
	done
}

on_exit() { _on_exit+=("$*"); }

# A test's background processes: "bg_pids+=($!)" after starting one;
# bg_stop kills and reaps them all (a test that starts any says
# "on_exit bg_stop").
bg_pids=()
bg_stop() { reap "${bg_pids[@]}"; bg_pids=(); }

reap() { # PID...: kill each and wait for it
	local p
	for p in "$@"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
}

nfsec_load() {
	modprobe nfsec
	_loaded_nfsec=1
}

_cleanup() {
	local rc=$? h left c
	set +e
	for c in "${_on_exit[@]}"; do
		eval "$c" 2>/dev/null
	done
	for h in "${_hosts[@]}"; do
		ip netns del "$h" 2>/dev/null
	done
	left=$(ip netns list | wc -l)
	if [ "$left" != 0 ] && [ $rc = 0 ]; then
		echo "FAIL: namespaces left behind: $(ip netns list | tr '\n' ' ')"
		rc=1
	fi
	if [ -n "${_loaded_nfsec:-}" ] && lsmod | grep -q '^nfsec '; then
		if ! modprobe -r nfsec; then
			echo "FAIL: nfsec does not unload (refcount $(cat /sys/module/nfsec/refcnt))"
			[ $rc = 0 ] && rc=1
		fi
	fi
	exit $rc
}
trap _cleanup EXIT
