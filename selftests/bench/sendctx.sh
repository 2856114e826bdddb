#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Send-context benchmark (not a test): make bench-sendctx, or
#   NFSEC_BENCH=1 selftests/vm/run -- selftests/bench/sendctx.sh
#
#   a 10.0.0.1 <--veth--> 10.0.0.2 b
#
# Where do the ESP packets of one TCP stream a -> b come from? The same
# host-to-host tunnel as reorder.sh, made by XFRM and by nfsec. For one
# second in the middle of the stream, ftrace takes a stack trace of every
# packet queued on the two veths (net:net_dev_queue): a's data on eth-b,
# b's ACKs on eth-a. Each packet is put in one class by its stack:
#
#   sendmsg      tcp_sendmsg() sent it, in the sending process
#   release      an ACK that waited in the socket's backlog while the
#                process held the socket, handled when it let go
#                (__release_sock), still in the process
#   recvmsg      the receiving process read data and announced the window
#   inline       a softirq run inside the other end's sendmsg() (the
#                packet went through both stacks without leaving it)
#   softirq      softirq on irq exit or on enabling BHs, not inside sendmsg
#   ksoftirqd    softirq deferred to the ksoftirqd thread
#   retransmit   a retransmission (from any of the above)
#   other        none of these
#
# and counted per CPU. Then one line per stream: its state ("sendmsg",
# "softirq" or "mixed", by where its data packets came from), and a's
# congestion window, bytes in flight and RTT during the same second, from
# the tcp:tcp_probe tracepoint. NFSEC_BENCH_STACKS="nfsec nfsec ..." runs
# several streams: each falls into one state by chance.
#
# Why: reorder.sh found nfsec's stream reordered between a's veth and b's,
# which happens when a sends from both CPUs (Documentation/performance.md,
# "Reordering"). This says which path sends from where.
# NFSEC_BENCH_STACKS (XFRM nfsec), NFSEC_BENCH_ALG (aes128gcm16).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../sa/interop.bash"
# tunnel.sh's tunnels (SPI 0x100 from a to b, window 128)
. "$(dirname "$0")/tunnel.bash"
[ -n "${NFSEC_BENCH:-}" ] || skip "a benchmark: run with NFSEC_BENCH=1"
command -v iperf3 >/dev/null || skip "iperf3 is not installed"
T=/sys/kernel/tracing
mountpoint -q $T || mount -t tracefs nodev $T 2>/dev/null ||
	skip "no tracefs"
for e in net/net_dev_queue tcp/tcp_probe; do
	[ -d $T/events/$e ] || skip "no $e tracepoint"
done
tmp=$(mktemp -d)
on_exit rm -rf "$tmp"
on_exit bg_stop
on_exit trace_off

topo_pair
nfsec_load
A=10.0.0.1 B=10.0.0.2
ev=$T/events/net/net_dev_queue
probe=$T/events/tcp/tcp_probe

trace_on() {
	echo > $T/trace
	echo 8192 > $T/buffer_size_kb
	echo 'name == "eth-a" || name == "eth-b"' > $ev/filter
	echo 'stacktrace if name == "eth-a" || name == "eth-b"' > $ev/trigger
	echo 'dport == 5201' > $probe/filter
	echo 1 > $probe/enable
	echo 1 > $ev/enable
}

trace_off() {
	echo 0 > $ev/enable 2>/dev/null
	echo 0 > $probe/enable 2>/dev/null
	echo 0 > $probe/filter 2>/dev/null
	echo '!stacktrace' > $ev/trigger 2>/dev/null
	echo 0 > $ev/filter 2>/dev/null
	true
}

# The trace, one packet per line: "data|ack CPU CLASS".
classify() { # TRACE
	python3 -c '
import re, sys
def cls(task, flags, frames):
    names = [f.split("+")[0] for f in frames]
    has = lambda n: any(x.startswith(n) for x in names)
    if has("tcp_retransmit_skb"):
        return "retransmit"
    if has("net_rx_action") or "s" in flags[2:4]:
        if has("tcp_sendmsg"):
            return "inline"
        return "ksoftirqd" if task.startswith("ksoftirqd") else "softirq"
    if has("__release_sock"):
        return "release"
    if has("tcp_recvmsg"):
        return "recvmsg"
    if has("tcp_sendmsg"):
        return "sendmsg"
    return "other"
cur = None
def done():
    if cur:
        print(cur[0], cur[1], cls(cur[2], cur[3], cur[4]))
for line in open(sys.argv[1]):
    m = re.match(r"\s*(\S+)-\d+\s+\[(\d+)\]\s+(\S+).*net_dev_queue:.*dev=(\S+)", line)
    if m:
        done()
        kind = "data" if m.group(4) == "eth-b" else "ack"
        cur = [kind, int(m.group(2)), m.group(1), m.group(3), []]
    elif line.startswith(" => ") and cur:
        cur[4].append(line[4:].strip())
done()' "$1"
}

# A table from classify's lines: a row per class, a column per direction
# and CPU.
table() { # STACK CLASSIFIED
	python3 -c '
import sys, collections
stack, path = sys.argv[1:3]
n = collections.Counter()
cpus = set()
for line in open(path):
    kind, cpu, c = line.split()
    n[kind, int(cpu), c] += 1
    cpus.add(int(cpu))
cpus = sorted(cpus) or [0]
cols = [(k, c) for k in ("data", "ack") for c in cpus]
print("%-6s %-11s" % (stack, "from") +
      "".join("%11s" % ("%s cpu%d" % col) for col in cols))
for c in ("sendmsg", "release", "recvmsg", "inline", "softirq",
          "ksoftirqd", "retransmit", "other"):
    if any(n[k, cpu, c] for k, cpu in cols):
        print("%-6s %-11s" % ("", c) +
              "".join("%11d" % n[k, cpu, c] for k, cpu in cols))' "$1" "$2"
}

# One line per stream from classify's lines: a's data packets, how many
# tcp_sendmsg() sent and how many softirq or ksoftirqd sent, the
# retransmissions and b's ACKs, and the stream's state (performance.md,
# "Reordering"): "sendmsg" when under 5 % came from softirq, "softirq"
# when under 5 % came from sendmsg, else "mixed".
summary() { # CLASSIFIED
	python3 -c '
import sys, collections
n = collections.Counter()
for line in open(sys.argv[1]):
    kind, _, c = line.split()
    n[kind] += 1
    n[kind, c] += 1
data = n["data"] or 1
snd = n["data", "sendmsg"]
soft = n["data", "softirq"] + n["data", "ksoftirqd"]
state = ("sendmsg" if soft < data / 20 else
         "softirq" if snd < data / 20 else "mixed")
print("%s state: %d data packets, %d from sendmsg, %d from softirq, "
      "%d retransmitted, %d ACKs from b" % (state, n["data"], snd, soft,
      n["data", "retransmit"], n["ack"]))' "$1"
}

# a's stream during the trace, from tcp:tcp_probe (an event per ACK that
# a's socket takes in): the medians of its congestion window, the bytes
# in flight and the smoothed RTT. Not from ss -ti: that waits for the
# socket lock, which XFRM's sender holds nearly all the time.
window() { # TRACE
	python3 -c '
import re, sys, collections, statistics
acks = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.search(r"tcp_probe: .*src=(\S+) .*snd_nxt=(0x[0-9a-f]+) "
                  r"snd_una=(0x[0-9a-f]+) snd_cwnd=(\d+) .*srtt=(\d+)", line)
    if m:
        acks[m.group(1)].append((int(m.group(2), 16), int(m.group(3), 16),
                                 int(m.group(4)), int(m.group(5))))
if not acks:
    print("no ACK taken in"); sys.exit()
# the stream: the connection with the most ACKs (iperf3 has a control one)
a = max(acks.values(), key=len)
med = lambda v: statistics.median(v)
print("%d ACKs, cwnd %d, in flight %d KB, srtt %.1f ms (medians)" % (
    len(a), med([x[2] for x in a]),
    med([(x[0] - x[1]) % 2**32 for x in a]) // 1024,
    med([x[3] for x in a]) / 1000))' "$1"
}

IFS='|' read -r _ nf x <<<"$(alg "${NFSEC_BENCH_ALG:-aes128gcm16}")"
states=()
for stack in ${NFSEC_BENCH_STACKS:-XFRM nfsec}; do
	clear_all
	if [ "$stack" = nfsec ]; then
		nfsec_side a $A $B "$nf"; nfsec_side b $B $A "$nf"
	else
		xfrm_side a $A $B "$x"; xfrm_side b $B $A "$x"
	fi
	ping_ok a $B || fail "$stack: the tunnel does not pass ping"
	n b iperf3 -s -1 -D -p 5201 >/dev/null
	sleep 1
	n a iperf3 -c $B -p 5201 -t 8 >"$tmp/iperf3" 2>&1 &
	pid=$!
	bg_pids+=("$pid")
	sleep 3
	trace_on
	sleep 1
	trace_off
	wait "$pid" || true
	cp $T/trace "$tmp/trace"
	classify "$tmp/trace" >"$tmp/classified"
	grep -q '^data' "$tmp/classified" ||
		fail "$stack: no data packet traced; iperf3 said: $(tail -3 "$tmp/iperf3")"
	table "$stack" "$tmp/classified"
	states+=("$stack: $(summary "$tmp/classified"); $(window "$tmp/trace")")
done
clear_all
log "a's stream during the trace (packets; tcp:tcp_probe):"
for s in "${states[@]}"; do
	log "  $s"
done
