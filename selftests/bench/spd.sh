#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SPD benchmark (not a test): run in the bench VM,
#   selftests/vm/run -- selftests/bench/spd.sh
#
#   a 10.0.0.1 <--veth--> b 10.0.0.2      pktgen on a floods b with UDP
#
# 1. Insert time for N policies: nfsec (POLICY_NEW requests pipelined from
#    Python; ipsecctl -b, a request and an ack a line; ipsecctl -f, one
#    atomic REPLACE) versus Linux XFRM (ip -batch "xfrm policy add").
# 2. Inbound cost per packet on b with N policies (none matching but a final
#    BYPASS): pktgen on a sends UDP to b as fast as it can for a few seconds;
#    b's delivered packets per second give ns/packet. One flow (cache hits)
#    and random sources over 65536 addresses (cache misses), nfsec versus
#    XFRM with the same selectors, and a baseline with neither.
# Numbers from a TCG VM are only comparable with each other.
# A benchmark, not a test: make check (selftests/*/*.sh) skips it unless
# NFSEC_BENCH=1 (make bench-spd).
. "$(dirname "$0")/../lib.sh"
[ -n "${NFSEC_BENCH:-}" ] || skip "a benchmark: run with NFSEC_BENCH=1"
here=$(cd "$(dirname "$0")" && pwd)
py="python3 $here/../spd/nfsec.py"
counts=${NFSEC_BENCH_COUNTS:-"1 100 10000 100000"}
secs=${NFSEC_BENCH_SECS:-3}
# XFRM inserts are quadratic-ish in 6.1 (10,000 take over 30 s under TCG,
# 100,000 would take hours): above this count they are skipped.
xfrm_max=${NFSEC_BENCH_XFRM_MAX:-10000}
tmp=$(mktemp -d)

topo_pair
nfsec_load

policies_file() {	# N: N OUT policies for distinct /32s, then a BYPASS
	local n=$1 i
	for ((i = 0; i < n - 1; i++)); do
		echo "policy add dir in src 172.$((16 + i / 65536)).$((i / 256 % 256)).$((i % 256)) proto udp dport 9 action discard"
	done
	echo "policy add dir in action bypass priority 4294967295"
}

insert_nfsec() {	# N -> seconds for N pipelined POLICY_NEW
	n b python3 - "$1" "$here/../spd" <<'EOPY'
import sys, time, struct
sys.path.insert(0, sys.argv[2])
from nfsec import *
n = int(sys.argv[1])
g = Genl()
g.nfsec('POLICY_FLUSH')
msgs = []
for i in range(n):
    a = bytes([172, 16 + i // 65536, i // 256 % 256, i % 256])
    msgs.append(nest(A_POLICY, u8(P_DIR, 1), u8(P_ACTION, 1),
                     nest(P_SEL, nest(S_SRC, attr(AD_START, a)), u8(S_PROTO, 17),
                          u16(S_DPMIN, 9), u16(S_DPMAX, 9))))
t0 = time.monotonic()
i = 0
while i < n:
    batch = msgs[i:i + 256]
    for m in batch:
        g.send(g.fid, CMD['POLICY_NEW'], m, 0)
    got = 0
    while got < len(batch):
        data = g.sock.recv(1 << 20)
        while data:
            ln, t = struct.unpack('IH', data[:6])
            if t == NLMSG_ERROR and struct.unpack('i', data[16:20])[0]:
                sys.exit('insert failed')
            if t == NLMSG_ERROR:
                got += 1
            data = data[(ln + 3) & ~3:]
    i += len(batch)
print(f'{time.monotonic() - t0:.3f}')
EOPY
}

# The C clients: N "policy add" lines on one socket, one request and ack
# each as ip -batch does (ipsecctl -b); the same N in one atomic REPLACE
# (ipsecctl -f, the file parsed in C, the SPD built in a few large messages).
insert_cli() {		# -b|-f N -> seconds
	local t0 t1
	# A REPLACE holds at most NFSEC_REPLACE_MAX (65536) policies.
	[ "$1" = -f ] && [ "$2" -gt 65536 ] && { echo "over-max"; return; }
	if [ "$1" = -b ]; then
		policies_file "$2" >"$tmp/cli.batch"
	else
		policies_file "$2" | sed 's/^policy add //' >"$tmp/cli.batch"
	fi
	n b ipsecctl policy flush
	t0=$(date +%s.%N)
	n b ipsecctl "$1" "$tmp/cli.batch" >/dev/null
	t1=$(date +%s.%N)
	n b ipsecctl policy flush
	echo "$t1 - $t0" | bc
}

insert_xfrm() {		# N -> seconds for ip -batch of N xfrm policies
	local n=$1 i t0 t1
	n b ip xfrm policy flush
	for ((i = 0; i < n; i++)); do
		echo "xfrm policy add dir in src 172.$((16 + i / 65536)).$((i / 256 % 256)).$((i % 256))/32 dst 0.0.0.0/0 proto udp dport 9 action block"
	done >"$tmp/xfrm.batch"
	t0=$(date +%s.%N)
	n b ip -batch "$tmp/xfrm.batch"
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc
}

# b's IP datagrams delivered to a transport (Ip: InDelivers): counted after
# LOCAL_IN, so after nfsec's or XFRM's inbound policy check.
delivered() {
	n b awk '/^Ip:/ { if (!h) { for (i = 2; i <= NF; i++) col[$i] = i; h = 1 }
			   else print $col["InDelivers"] }' /proc/net/snmp
}

# pktgen on a's eth-b towards b; FLOWS 1 (one source) or many (random).
pktgen_run() {
	local flows=$1 dev=eth-b mac
	mac=$(n b cat /sys/class/net/eth-a/address)
	n a sh -c "
		echo rem_device_all >/proc/net/pktgen/kpktgend_0
		echo add_device $dev >/proc/net/pktgen/kpktgend_0
		p=/proc/net/pktgen/$dev
		echo 'count 0' >\$p; echo 'pkt_size 64' >\$p; echo 'delay 0' >\$p
		echo 'dst 10.0.0.2' >\$p; echo 'dst_mac $mac' >\$p
		echo 'udp_dst_min 9' >\$p; echo 'udp_dst_max 9' >\$p
		echo 'src_min 10.0.0.1' >\$p
		if [ $flows = 1 ]; then echo 'src_max 10.0.0.1' >\$p;
		else echo 'src_min 10.9.0.0' >\$p; echo 'src_max 10.9.255.255' >\$p; echo 'flag IPSRC_RND' >\$p; fi
	"
	local before after
	before=$(delivered)
	n a sh -c 'echo start >/proc/net/pktgen/pgctrl' &
	sleep "$secs"
	n a sh -c 'echo stop >/proc/net/pktgen/pgctrl'
	wait
	after=$(delivered)
	echo $(( (after - before) / secs ))
}

modprobe pktgen 2>/dev/null || true
have_pktgen=0
[ -e /proc/net/pktgen/pgctrl ] && have_pktgen=1
n b sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth-a.rp_filter=0

echo "== insert time (seconds)"
printf '%-8s %-14s %-14s %-14s %-14s\n' policies nfsec-python nfsec-b nfsec-f xfrm-batch
for c in $counts; do
	x=skipped
	[ "$c" -le "$xfrm_max" ] && x=$(insert_xfrm "$c")
	printf '%-8s %-14s %-14s %-14s %-14s\n' "$c" "$(insert_nfsec "$c")" \
		"$(insert_cli -b "$c")" "$(insert_cli -f "$c")" "$x"
done
n b ip xfrm policy flush
policies_file 65536 >"$tmp/65536.conf"
t0=$(date +%s.%N)
n b $py -f "$tmp/65536.conf" >/dev/null
t1=$(date +%s.%N)
echo "atomic replace of 65536 policies: $(echo "$t1 - $t0" | bc) s from Python, $(insert_cli -f 65536) s with ipsecctl -f"
n b $py policy flush

[ -z "${NFSEC_BENCH_NO_LOOKUP:-}" ] || exit 0
[ $have_pktgen = 1 ] || { echo "no pktgen: no lookup numbers"; exit 0; }
echo "== inbound packets/s on b (64-byte UDP, $secs s each)"
printf '%-10s %-10s %-12s %-12s %-12s %-12s\n' policies none nfsec-1flow nfsec-random xfrm-1flow xfrm-random
for c in $counts; do
	base=$(pktgen_run 1)
	policies_file "$c" >"$tmp/p.conf"
	if [ "$c" -le 65536 ]; then
		n b $py -f "$tmp/p.conf" >/dev/null
	else
		insert_nfsec "$c" >/dev/null
		n b $py policy add dir in action bypass priority 4294967295 >/dev/null
	fi
	n1=$(pktgen_run 1); nr=$(pktgen_run many)
	n b $py policy flush
	x1=skipped xr=skipped
	if [ "$c" -le "$xfrm_max" ]; then
		insert_xfrm "$c" >/dev/null
		x1=$(pktgen_run 1); xr=$(pktgen_run many)
		n b ip xfrm policy flush
	fi
	printf '%-10s %-10s %-12s %-12s %-12s %-12s\n' "$c" "$base" "$n1" "$nr" "$x1" "$xr"
done
n b ipsecctl stats
