#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A TCP stream across Child SA and IKE SA rekeys (issue 6): the gateway
# and client alice of remote-access.sh, alice rekeying her Child SA every
# 5 s and her IKE SA every 8 s (less jitter) while the server sends her
# 6 MiB, paced over about 30 s. Every byte must arrive, in order, and the
# stream may stall only briefly: a rekey that left a gap between the old
# SAs and the new ones would hold it until TCP's retransmissions found the
# new SA, or for good.
#
#   a: client alice 10.1.0.2 --- 10.1.0.1 r: gateway 10.2.0.1 --- 10.2.0.2 b: server
#
# The longest stall is checked against a loose bound (8 s: a gap between
# old and new SAs would cost TCP retransmissions of seconds, or the
# stream) and printed. Printed only, as figures that depend on the host's
# load: the server's TCP retransmissions and nfsec's drops by reason on
# both sides.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"
. "$(dirname "$0")/rw-lib.sh"

rw_gateway "$top"
A=$top/a
rw_alice "$A" "rekey 5 ; lifetime 20 ; ike-rekey 8"
rw_server "$top"

# b sends FILE on TCP 8083, 4 KiB every 20 ms
head -c $((6 << 20)) /dev/urandom > "$top/big"
ip netns exec b python3 - "$top/big" <<'EOF' &
import socket, sys, time
data = open(sys.argv[1], "rb").read()
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("10.2.0.2", 8083))
ls.listen(1)
ls.settimeout(120)
c, _ = ls.accept()
for off in range(0, len(data), 4096):
    c.sendall(data[off:off + 4096])
    time.sleep(0.02)
c.close()
EOF
_rw_bg+=($!)
wait_for 10 sh -c "ip netns exec b ss -Hltn 'sport = :8083' | grep -q ."

ikev2d_start r "$G"
ikev2d_start a "$A"
up_on() { ikectl "$A" list | grep -q "^ike vpn.* ESTABLISHED"; }
has_vip() { n a ip -4 -o addr show dev lo | grep -q 'inet 10\.99\.0\.1/32'; }
rekeys() { grep -c "$1" "$A/ikev2d.log" || true; }

check "alice: up" q n a ipsecctl -S "$A/ikev2d.sock" ike up vpn
wait_for 60 up_on
wait_for 10 has_vip
check "ping through the tunnel" within 30 ping_ok a 10.2.0.2
child0=$(rekeys "Child SA .* rekeyed to") ike0=$(rekeys "IKE SA rekeyed: ")
n b nstat -n >/dev/null 2>&1 || true

log "=== 6 MiB from the server, paced over ~30 s, across the rekeys"
got=$(ip netns exec a timeout 150 python3 - <<'EOF'
import hashlib, socket, time
s = socket.create_connection(("10.2.0.2", 8083), timeout=60, source_address=("10.99.0.1", 0))
h, n, last, gap = hashlib.sha256(), 0, time.monotonic(), 0.0
while True:
    d = s.recv(65536)
    now = time.monotonic()
    gap, last = max(gap, now - last), now
    if not d:
        break
    h.update(d)
    n += len(d)
print(n, h.hexdigest(), "%.2f" % gap)
EOF
) || true
read -r bytes sum stall <<<"$got"
child=$(($(rekeys "Child SA .* rekeyed to") - child0))
ike=$(($(rekeys "IKE SA rekeyed: ") - ike0))
log "during the stream: $child Child SA rekeys, $ike IKE SA rekeys; longest stall ${stall:-?} s;" \
	"server's TCP retransmissions: $(n b nstat -az TcpRetransSegs 2>/dev/null | awk '/TcpRetransSegs/ { print $2 }')"
log "nfsec's drops: client $(n a ipsecctl -j stats | jq -c .drops), gateway $(n r ipsecctl -j stats | jq -c .drops)"
check_eq "every byte arrived" $((6 << 20)) "${bytes:-0}"
check_eq "in order, unchanged (SHA-256)" "$(sha256sum < "$top/big" | cut -d' ' -f1)" "${sum:-none}"
check "the Child SA was rekeyed at least 3 times meanwhile ($child)" test "$child" -ge 3
check "the IKE SA at least twice ($ike)" test "$ike" -ge 2
check "no stall of 8 s or more (${stall:-?} s)" awk -v s="${stall:-99}" 'BEGIN { exit !(s < 8) }'
one_pair() { [ "$(gw_sas)" = 2 ] && [ "$(n a ipsecctl -j sa list | jq -s length)" = 2 ]; }
check "the old SAs are gone: one pair on each side" within 20 one_pair
one_ike_sa() { [ "$(rw_ike_sas r "$G")" = 1 ] && [ "$(rw_ike_sas a "$A")" = 1 ]; }
check "one IKE SA on each side" within 20 one_ike_sa
check_eq "alice kept her address" "10.99.0.1" "$(rw_peer a 10.99.0.1)"
ike_stop
check_eq "the gateway left no SA behind" 0 "$(gw_sas)"
