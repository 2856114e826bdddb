#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NAT traversal (RFC 7296 §2.23, RFC 3948) end to end: an ikev2d client
# behind a masquerading router and a gateway, ikev2d and then strongSwan.
# IPv4 here; natt6.sh runs the same over IPv6 (NATT_FAMILY=6: a NAT66
# router, addresses fd01::2, fd02::1, fd02::2, inner fd09:1::1, fd09:2::1),
# where ESP in UDP needs real UDP checksums (RFC 8200 §8.1: XFRM's
# encapsulation socket drops checksum 0, so case 3 fails without them).
#
#   a: client ikev2d          r: NAT                     b: gateway
#      10.1.0.2 -------- 10.1.0.1 | 10.2.0.1 -------- 10.2.0.2
#      inner 10.9.1.1            masquerade on eth-b       inner 10.9.2.1
#                                 (UDP to ports 10000-19999)
#
#  1. ikev2d <-> ikev2d: both detect the NAT, IKE floats to port 4500, the
#     Child SA's two SAs are ESP in UDP in both nfsec SADs (ikev2d's own
#     4500 socket holds the port: nfsec adopts it), ping and a 512 kB TCP
#     transfer each way through the tunnel, compared by checksum; the client
#     sends NAT keepalives, the gateway does not.
#  2. The NAT's mapping changes (new port range, conntrack flushed): the
#     client's next ESP packet reaches the gateway from a new port, nfsec
#     reports it (NFSEC_CMD_MAPPING), and the gateway moves its IKE SA and
#     its SAs in place (same SPIs, new encapsulation port); traffic goes
#     on. The client sends no IKE message meanwhile (dpd 0): following an
#     IKE message is in ikev2d's unit tests.
#  3. ikev2d client <-> strongSwan gateway (charon with XFRM): the same
#     traffic through NAT-T.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/ike-lib.sh"

command -v ikev2d >/dev/null || skip "ikev2d is not installed"
command -v conntrack >/dev/null || skip "conntrack is not installed"

if [ "${NATT_FAMILY:-4}" = 6 ]; then
	fam=6 plen=128 nft_fam=ip6
	CA=fd01::2 RA=fd01::1 NA=fd02::1 GW=fd02::2 IA=fd09:1::1 IB=fd09:2::1
	udp_len='ip6[44:2]'	# libpcap's udp[] is IPv4 only
else
	fam=4 plen=32 nft_fam=ip
	CA=10.1.0.2 RA=10.1.0.1 NA=10.2.0.1 GW=10.2.0.2 IA=10.9.1.1 IB=10.9.2.1
	udp_len='udp[4:2]'
fi
# ep ADDR PORT: an endpoint as ikev2d lists it; epre: as a grep/sed pattern
ep() { if [ $fam = 6 ]; then echo "[$1]:$2"; else echo "$1:$2"; fi; }
epre() { if [ $fam = 6 ]; then echo "\\[$1\\]:$2"; else echo "${1//./\\.}:$2"; fi; }
# sockaddr ADDR: for socat
sockaddr() { if [ $fam = 6 ]; then echo "[$1]"; else echo "$1"; fi; }

PSK="nfsec NAT traversal secret"
topo_router
nfsec_load
n a ip addr add $IA/$plen dev lo
n b ip addr add $IB/$plen dev lo
# what goes to the other inner address leaves from ours: the tunnel's
n a ip -$fam route add $IB/$plen via $RA src $IA
n b ip -$fam route add $IA/$plen via $NA src $IB
top=$(mktemp -d /tmp/ike.XXXXXX)
on_exit "rm -rf '$top'"

# nat LOW-HIGH: r masquerades what leaves on eth-b, UDP to that port range,
# and lets nothing in that a did not start.
nat() {
	n r nft -f - <<-EOF
	flush ruleset
	table $nft_fam nat {
	    chain post {
	        type nat hook postrouting priority srcnat;
	        oifname "eth-b" meta l4proto udp masquerade to :$1
	        oifname "eth-b" masquerade
	    }
	}
	table $nft_fam filter {
	    chain guard {
	        type filter hook forward priority 0;
	        iifname "eth-b" ct state new drop
	    }
	}
	EOF
}
nat 10000-19999

# The first SA of an algorithm loads the crypto modules and runs their
# self-tests (seconds under TCG), which would make IKE retransmit: pay
# for that before measuring anything.
KEY=0x0102030405060708090a0b0c0d0e0f1011121314
n a ipsecctl sa add dir out spi 0x100 src $CA dst $GW ipsec esp mode tunnel \
	aead "rfc4106(gcm(aes))" $KEY 128 >/dev/null
n a ipsecctl sa flush
n b ip xfrm state add src $GW dst $NA proto esp spi 0x100 mode tunnel \
	aead 'rfc4106(gcm(aes))' $KEY 128
n b ip xfrm state flush

mkdir -p "$top/a" "$top/b" "$top/s"
cat > "$top/a/ikev2d.conf" <<EOC
conn gw {
    local $CA ; remote $GW
    local-id client.example ; remote-id gw.example
    auth psk ; psk "$PSK"
    ike aes128gcm16-prfsha256-x25519 ; esp aes128gcm16
    local-ts $IA/$plen ; remote-ts $IB/$plen
    mode tunnel ; dpd 0 ; keepalive 2
}
EOC
cat > "$top/b/ikev2d.conf" <<EOC
conn rw {
    local $GW ; remote %any
    local-id gw.example ; remote-id client.example
    auth psk ; psk "$PSK"
    ike aes128gcm16-prfsha256-x25519 ; esp aes128gcm16
    local-ts $IB/$plen ; remote-ts $IA/$plen
    mode tunnel ; start none ; dpd 0 ; keepalive 2
}
EOC

A=$top/a B=$top/b
up_on() { ikectl "$1" list | grep -q "^ike $2.* ESTABLISHED"; }
inner_ping() { # FROM: one ping through the tunnel
	case $1 in
	a) n a ping -q -c 1 -W 2 -I $IA $IB ;;
	b) n b ping -q -c 1 -W 2 -I $IB $IA ;;
	esac >/dev/null 2>&1
}

# tcp_sum FROM TO ADDR PORT: 512 kB of random bytes from FROM to ADDR:PORT
# in TO; the receiver's copy must have the sender's SHA-256.
tcp_sum() {
	local from=$1 to=$2 addr=$3 port=$4 pid src=$top/tcp.src.$4 dst=$top/tcp.dst.$4
	head -c 524288 /dev/urandom > "$src"
	rm -f "$dst"
	ip netns exec "$to" timeout 60 socat -u "TCP$fam-LISTEN:$port,reuseaddr,bind=$(sockaddr "$addr")" \
		"OPEN:$dst,creat,trunc" &
	pid=$!
	wait_for 10 listening_tcp "$to" "$port"
	n "$from" timeout 60 socat -u "OPEN:$src" "TCP$fam:$(sockaddr "$addr"):$port,connect-timeout=10" ||
		{ kill $pid 2>/dev/null; return 1; }
	wait $pid || return 1
	[ "$(sha256sum < "$src")" = "$(sha256sum < "$dst")" ]
}
listening_tcp() { [ -n "$(n "$1" ss -Htln "sport = :$2")" ]; }

# sa_json NS DIR: the nfsec SA of that direction, as JSON
sa_json() { n "$1" ipsecctl -j sa list | jq -c "select(.dir == \"$2\")"; }
encap_of() { sa_json "$1" "$2" | jq -r '"\(.encap.sport) \(.encap.dport)"'; }
spi_of() { sa_json "$1" "$2" | jq -r .spi; }

log "=== 1: ikev2d client behind the NAT (IPv$fam), ikev2d gateway (at ${SECONDS}s)"
ikev2d_start b "$B"
ikev2d_start a "$A"
# tcpdump on the NAT's outside: what the gateway sees
n r tcpdump -U -n -i eth-b -w "$top/wire.pcap" udp or esp 2>/dev/null &
_ike_pids+=($!)
sleep 1
check "client: up" q ikectl "$A" up gw
check "gateway: IKE SA established" within 60 up_on "$B" rw
check "client: IKE SA established" within 30 up_on "$A" gw
check "client: NAT detected, we are behind it" grep -q "NAT detected (local)" "$A/ikev2d.log"
check "gateway: NAT detected, the peer is behind it" grep -q "NAT detected (remote)" "$B/ikev2d.log"
la=$(ikectl "$A" list)
lb=$(ikectl "$B" list)
check "client: IKE moved to port 4500" \
	grep -q "^ike gw.* local $(epre $CA 4500) remote $(epre $GW 4500) " <<<"$la"
port1=$(sed -n "s/^ike rw.* remote $(epre $NA '\([0-9]*\)') .*/\1/p" <<<"$lb")
check "gateway: the client is the NAT's $NA, port 10000-19999 ($port1)" \
	test "${port1:-0}" -ge 10000 -a "${port1:-0}" -le 19999
has_sas() { [ "$(n "$1" ipsecctl -j sa list | jq -s length)" = 2 ]; }
check "client: two SAs in nfsec" within 10 has_sas a
check "gateway: two SAs in nfsec" within 10 has_sas b
check_eq "client: inbound SA is ESP in UDP 4500 <- 4500" "4500 4500" "$(encap_of a in)"
check_eq "client: outbound SA is ESP in UDP 4500 -> 4500" "4500 4500" "$(encap_of a out)"
check_eq "gateway: inbound SA is ESP in UDP $port1 -> 4500" "$port1 4500" "$(encap_of b in)"
check_eq "gateway: outbound SA is ESP in UDP 4500 -> $port1" "4500 $port1" "$(encap_of b out)"
check "client pings the gateway through the tunnel" within 30 inner_ping a
check "gateway pings the client through the tunnel" within 10 inner_ping b
check "TCP 512 kB client -> gateway, same SHA-256" tcp_sum a b $IB 9301
check "TCP 512 kB gateway -> client, same SHA-256" tcp_sum b a $IA 9302
pkts() { n "$1" ipsecctl -j sa list | jq -r "select(.dir == \"$2\") | .stats.packets"; }
check "client: inbound SA counted packets" test "$(pkts a in)" -gt 100
check "gateway: inbound SA counted packets" test "$(pkts b in)" -gt 100
# keepalives: one 0xff byte (UDP length 9) to the gateway's 4500 every 2 s
keepalives() { # FROM TO: how many are in the capture so far
	tcpdump -r "$top/wire.pcap" -n "src $1 and dst $2 and udp dst port 4500 and $udp_len = 9" \
		2>/dev/null | wc -l
}
ka_seen() { [ "$(keepalives $NA $GW)" -ge 2 ]; }
check "the client sends NAT keepalives" within 20 ka_seen
esp_seen() { tcpdump -r "$top/wire.pcap" -n 2>/dev/null | grep -q 'UDP-encap'; }
check "the NAT saw ESP in UDP" within 5 esp_seen
check_eq "no ESP in IP crossed the NAT" 0 \
	"$(tcpdump -r "$top/wire.pcap" -n esp 2>/dev/null | wc -l)"
check_eq "the gateway sends no keepalive (it is not behind a NAT)" 0 \
	"$(keepalives $GW $NA)"
if [ $fam = 6 ]; then
	# ESP in UDP: a non-zero SPI where IKE has its non-ESP marker (IKE's
	# own datagrams leave the daemons' sockets with the checksum left to
	# the veth)
	esp_in_udp() { tcpdump -r "$top/wire.pcap" -n -vv 'udp port 4500 and ip6[48:4] != 0' 2>/dev/null; }
	check "IPv6: the ESP in UDP that crossed the NAT has valid checksums" \
		test "$(esp_in_udp | grep -c 'udp sum ok')" -gt 100
	check_eq "IPv6: and none a bad one" 0 "$(esp_in_udp | grep -c 'bad udp cksum')"
fi

log "=== 2: the NAT's mapping changes (at ${SECONDS}s)"
spi_in_b=$(spi_of b in) spi_out_b=$(spi_of b out)
nat 20000-29999
n r conntrack -F >/dev/null 2>&1
moved() { grep -q "peer moved from $(epre $NA $port1) to $(epre $NA '')" "$B/ikev2d.log"; }
# The client's next packet goes out from a new port: ping until it is back
# (the replies to the first ones may still go to the old port).
check "client pings the gateway after the change" within 30 inner_ping a
check "gateway: nfsec reported ESP from the new port" \
	grep -q "ESP of Child SA .* comes from $(epre $NA '')" "$B/ikev2d.log"
check "gateway: follows the client to its new port" within 10 moved
port2=$(sed -n "s/.*peer moved from $(epre $NA $port1) to $(epre $NA '\([0-9]*\)') .*/\1/p" \
	"$B/ikev2d.log" | tail -n 1)
check "gateway: the new port is in 20000-29999 ($port2)" \
	test "${port2:-0}" -ge 20000 -a "${port2:-0}" -le 29999
check_eq "gateway: outbound SA moved to 4500 -> $port2" "4500 $port2" "$(encap_of b out)"
check_eq "gateway: inbound SA moved to $port2 -> 4500" "$port2 4500" "$(encap_of b in)"
check_eq "gateway: the SAs kept their SPIs" "$spi_in_b $spi_out_b" \
	"$(spi_of b in) $(spi_of b out)"
check "gateway pings the client after the change" within 10 inner_ping b
check "TCP 512 kB client -> gateway after the change" tcp_sum a b $IB 9303
check "TCP 512 kB gateway -> client after the change" tcp_sum b a $IA 9304
check "the IKE SA stayed up (no new one)" \
	test "$(grep -c 'initiating IKE SA' "$A/ikev2d.log")" = 1
ike_stop
gone() { [ -z "$(n "$1" ipsecctl -j sa list)" ]; }
check "client: SAs removed when ikev2d stops" within 10 gone a

log "=== 3: ikev2d client behind the NAT, strongSwan gateway (at ${SECONDS}s)"
S=$top/s
cat > "$S/swanctl.conf" <<EOC
connections {
    rw {
        version = 2
        local_addrs = $GW
        remote_addrs = %any
        proposals = aes128gcm16-prfsha256-x25519
        local {
            auth = psk
            id = gw.example
        }
        remote {
            auth = psk
            id = client.example
        }
        children {
            net {
                esp_proposals = aes128gcm16
                local_ts = $IB/$plen
                remote_ts = $IA/$plen
                mode = tunnel
            }
        }
    }
}
secrets {
    ike-psk {
        id-1 = gw.example
        id-2 = client.example
        secret = "$PSK"
    }
}
EOC
swan_start b "$S"
ikev2d_start a "$A"
check "client: up" q ikectl "$A" up gw
swan_up() { swan b "$S" --list-sas | grep -q "ESTABLISHED"; }
check "strongSwan: IKE SA established" within 60 swan_up
check "client: IKE SA established" within 30 up_on "$A" gw
check "strongSwan: NAT-T, the peer behind a NAT" \
	grep -q "remote host is behind NAT" "$S/charon.log"
xfrm_encap() { n b ip xfrm state | grep -q "encap type espinudp sport 4500 dport 2[0-9]\{4\}"; }
check "XFRM: ESP in UDP to the NAT's port" within 10 xfrm_encap
check "client: two SAs in nfsec" within 10 has_sas a
check_eq "client: outbound SA is ESP in UDP 4500 -> 4500" "4500 4500" "$(encap_of a out)"
check "client pings strongSwan's side through the tunnel" within 30 inner_ping a
check "strongSwan's side pings the client" within 10 inner_ping b
check "TCP 512 kB client -> strongSwan's side, same SHA-256" tcp_sum a b $IB 9305
check "TCP 512 kB strongSwan's side -> client, same SHA-256" tcp_sum b a $IA 9306
check "client: inbound SA counted packets" test "$(pkts a in)" -gt 100
log "done in ${SECONDS}s"
