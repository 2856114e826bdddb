# SPDX-License-Identifier: GPL-2.0
#
# Traffic helpers for the SPD selftests (sourced after ../lib.sh). Each
# returns 0 when the payload arrived, 1 when it did not.
#
#   udp_ok FROM TO ADDR PORT [SPORT]   one datagram FROM -> TO (ADDR:PORT)
#   tcp_ok FROM TO ADDR PORT           a TCP connection and a line of data
#   monitor_start NS FILE              ipsecctl -j monitor in NS into FILE
#   spd_stat NS JQ                        one value of "ipsecctl -j stats"

command -v socat >/dev/null || skip "socat is not installed"
command -v jq >/dev/null || skip "jq is not installed"

_tmp=$(mktemp -d)
_bg=()
# For the EXIT trap, before lib.sh's _cleanup, to which it passes the
# test's status: trap '_traffic_cleanup; _cleanup' EXIT
_traffic_cleanup() {
	local rc=$? p
	set +e	# a non-zero return must not end the trap before _cleanup
	# Background "ip netns exec" processes hold mount namespaces that pin
	# /run/netns/*: end them before lib.sh deletes the namespaces.
	for p in "${_bg[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${_bg[@]}"; do wait "$p" 2>/dev/null; done
	rm -rf "$_tmp"
	return $rc
}

# Wait until NS has a socket of family $4 (4, 6) bound to PORT (ss -u/-t: $2).
_listening() {
	local i
	for i in $(seq 50); do
		n "$1" ss -Hln"$2" -"$4" "sport = :$3" | grep -q . && return 0
		sleep 0.1
	done
	return 1
}

# Stop the receiver PID once FILE holds WORD (or after SECONDS, default 3);
# WORD arrived?
_received() {
	local pid=$1 file=$2 word=$3 secs=${4:-3}
	for _ in $(seq $((secs * 10))); do
		grep -q "$word" "$file" 2>/dev/null && break
		sleep 0.1
	done
	kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
	grep -q "$word" "$file" 2>/dev/null
}

_sockaddr() { case "$1" in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }
_pf() { case "$1" in *:*) echo 6 ;; *) echo 4 ;; esac; }

udp_ok() {
	local from=$1 to=$2 addr=$3 port=$4 sport=${5:-} out pid opt=
	out=$_tmp/udp.$RANDOM
	# Not "n ... &": $! must be the receiver itself, to end it for sure.
	ip netns exec "$to" timeout 10 socat -u "UDP$(_pf "$addr")-RECV:$port,reuseaddr" "OPEN:$out,creat" &
	pid=$!
	_bg+=($pid)
	_listening "$to" u "$port" "$(_pf "$addr")"
	[ -n "$sport" ] && opt=",sourceport=$sport,reuseaddr"
	echo "payload-$port" | n "$from" socat -u STDIN "UDP$(_pf "$addr"):$(_sockaddr "$addr"):$port$opt" 2>/dev/null
	_received "$pid" "$out" "payload-$port"
}

tcp_ok() {
	local from=$1 to=$2 addr=$3 port=$4 out pid
	out=$_tmp/tcp.$RANDOM
	ip netns exec "$to" timeout 10 socat -u "TCP$(_pf "$addr")-LISTEN:$port,reuseaddr" "OPEN:$out,creat" &
	pid=$!
	_bg+=($pid)
	_listening "$to" t "$port" "$(_pf "$addr")"
	echo "stream-$port" | n "$from" timeout 3 socat -u STDIN \
		"TCP$(_pf "$addr"):$(_sockaddr "$addr"):$port,connect-timeout=2" 2>/dev/null
	_received "$pid" "$out" "stream-$port"
}

monitor_start() {
	ip netns exec "$1" ipsecctl -j monitor >"$2" 2>&1 &
	_bg+=($!)
	sleep 0.5
}

spd_stat() { n "$1" ipsecctl -j stats | jq -r "$2"; }
