# SPDX-License-Identifier: GPL-2.0
#
# Road-warrior helpers for the IKE selftests, sourced after ike-lib.sh.
#
# Sourcing it checks for ikev2d, socat and jq and makes $top, the test's
# directory (removed on exit).
#
#   rw_server TOP          b serves TOP/blob (256 KiB, SHA-256 in $want) on
#                          TCP 8080 and the address it sees on 8081
#   rw_fetch NS [SRC]      SHA-256 of the blob fetched from NS (bound to SRC)
#   rw_peer NS [SRC]       the address the server sees for NS
#   rw_gateway TOP         a - r - b of topo_router plus client c (10.3.0.2 -
#                          10.3.0.1); r: nfsec with the design deck's SPD
#                          (company.com Name templates) and an ikev2d
#                          gateway conf in $G (pool 10.99.0.0/24, PSK $PSK)
#   rw_spd FILE            that SPD (ipsecctl -f), the deck's tables
#   rw_alice DIR [LINE]    an ikev2d client conf in DIR: alice, 10.1.0.2 to the
#                          gateway 10.1.0.1, vips 0.0.0.0, 10.2.0.0/24 behind it
#                          (and LINE, e.g. "dpd 2")
#   rw_swan_gateway DIR    a strongSwan gateway conf in DIR for alice: r's
#                          10.1.0.1, pool 10.98.0.0/24 (DNS 10.2.0.53)
#   rw_swan_client DIR LOCAL ID REMOTE  a strongSwan client conf in DIR for
#                          the ikev2d gateway: connection gw, child net
#   rw_swan_setup [wlan]   topo_router (and rw_wlan), nfsec, the strongSwan
#                          gateway conf in $S (r) and alice's in $A (a), the
#                          server on b: both sides configured, nothing started
#   rw_wlan                a second link a:wlan 10.4.0.2 (down) - r:eth-a2 10.4.0.1
#                          (for MOBIKE: the client's other way out)
#   rw_stream TOP          b serves TOP/stream (384 KiB) on TCP 8082 in 16 KiB
#                          pieces, holding before piece 8 (128 KiB) until
#                          TOP/go1 exists and before piece 16 until TOP/go2 does
#   rw_stream_get NS TOP [SRC]  NS fetches it (bound to SRC) into TOP/got (in
#                          the background, pid in $stream); got_at_least BYTES
#                          polls its size
#   stream_intact          it ended cleanly and TOP/got is TOP/stream, byte
#                          for byte
#   gw_policies            the gateway's SPD listing
#   lists_policy / no_policy TEXT   it has / has no line with TEXT
#   gw_sas                 how many SAs the gateway's SAD holds
#   rw_sas NS              NS's SAD as sorted "DIR SPI SRC DST" lines
#   rw_spis NS             its "DIR SPI" pairs; rw_outer NS DIR: "SRC DST" of DIR
#   rw_list NS DIR         "ike list" of the ikev2d of DIR/ikev2d.sock in NS
#   rw_ike_sas NS DIR      how many IKE SAs it lists
#   rw_start_gw            the gateway's ikev2d ($G); its pid in $gw_pid
#   rw_start_alice [ARGS]  alice's ($A) with ikev2d ARGS; its pid in $alice_pid
#   rw_alice_up            alice's Child SA is installed

command -v ikev2d >/dev/null || skip "ikev2d is not installed"
command -v socat >/dev/null || skip "socat is not installed"
command -v jq >/dev/null || skip "jq is not installed"

PSK="company road warriors"
# the test's files
top=$(mktemp -d /tmp/ike.XXXXXX)
_rw_bg=()
on_exit 'for p in "${_rw_bg[@]}"; do kill $p; done; rm -rf "$top"'

rw_server() {
	head -c 262144 /dev/urandom > "$1/blob"
	want=$(sha256sum < "$1/blob" | cut -d' ' -f1)
	ip netns exec b socat TCP4-LISTEN:8080,fork,reuseaddr OPEN:"$1/blob" &
	_rw_bg+=($!)
	ip netns exec b socat TCP4-LISTEN:8081,fork,reuseaddr SYSTEM:'echo $SOCAT_PEERADDR' &
	_rw_bg+=($!)
	wait_for 10 sh -c "ip netns exec b ss -Hltn 'sport = :8081' | grep -q ."
}

rw_fetch() {
	n "$1" timeout 60 socat -u TCP4:10.2.0.2:8080,connect-timeout=10${2:+,bind=$2} - |
		sha256sum | cut -d' ' -f1
}

rw_peer() { n "$1" timeout 20 socat -u TCP4:10.2.0.2:8081,connect-timeout=10${2:+,bind=$2} -; }

# rw_spd FILE: the gateway's SPD, the deck's tables, as an ipsecctl -f file
rw_spd() {
	cat > "$1" <<'EOF'
# BYPASS the IKE channel (UDP 500, and 4500 for NAT traversal)
dir in  proto udp dport 500  priority 100 action bypass
dir out proto udp sport 500  priority 100 action bypass
dir in  proto udp dport 4500 priority 100 action bypass
dir out proto udp sport 4500 priority 100 action bypass
# PROTECT company.com's clients: templates (Name, PFP, no tunnel
# endpoints) that ikev2d turns into one entry per client
dir in  src 10.99.0.0/24 name company.com pfp src priority 200 action protect ipsec esp mode tunnel
dir fwd src 10.99.0.0/24 name company.com pfp src priority 200 action protect ipsec esp mode tunnel
dir out dst 10.99.0.0/24 name company.com pfp dst priority 200 action protect ipsec esp mode tunnel
# the trusted network reaches the gateway in clear, then OUT protects it;
# what clients send leaves, once decrypted, for it in clear
dir fwd src 10.2.0.0/24 dst 10.99.0.0/24 priority 300 action bypass
dir out src 10.99.0.0/24 dst 10.2.0.0/24 priority 300 action bypass
# the gateway's ICMP errors to the trusted side (fragmentation needed: the
# tunnel's MTU is smaller, path MTU discovery must work)
dir out dst 10.2.0.0/24 proto icmp priority 300 action bypass
# DISCARD anything else
dir in  priority 1000 action discard
dir fwd priority 1000 action discard
dir out priority 1000 action discard
EOF
}

rw_gateway() {
	local top=$1
	topo_router
	host_add c
	link_add c r
	addr_add c eth-r 10.3.0.2/24
	addr_add r eth-c 10.3.0.1/24
	n c ip route add default via 10.3.0.1
	# The gateway routes the pool somewhere: nfsec tunnels after routing.
	n r ip route add 10.99.0.0/24 via 10.1.0.2
	nfsec_load
	rw_spd "$top/spd.conf"
	n r ipsecctl -f "$top/spd.conf"
	G=$top/gw
	mkdir -p "$G"
	cat > "$G/ikev2d.conf" <<EOF
conn rw {
    local %any ; remote %any
    local-id vpn.company.com
    auth psk ; psk "$PSK"
    local-ts 10.2.0.0/24
    pool 10.99.0.0/24 ; dns 10.2.0.53
    dpd 10
}
EOF
}

rw_alice() {
	mkdir -p "$1"
	cat > "$1/ikev2d.conf" <<-EOF
	conn vpn {
	    local 10.1.0.2 ; remote 10.1.0.1
	    local-id alice@company.com ; remote-id vpn.company.com
	    auth psk ; psk "$PSK"
	    remote-ts 10.2.0.0/24
	    vips 0.0.0.0
	    ${2:-}
	}
	EOF
}

rw_swan_gateway() {
	mkdir -p "$1"
	cat > "$1/swanctl.conf" <<-EOF
	connections {
	    rw {
	        version = 2
	        local_addrs = 10.1.0.1
	        pools = rw
	        proposals = aes256gcm16-prfsha384-x25519
	        local {
	            auth = psk
	            id = vpn.company.com
	        }
	        remote {
	            auth = psk
	            id = alice@company.com
	        }
	        children {
	            net {
	                esp_proposals = aes256gcm16
	                local_ts = 10.2.0.0/24
	            }
	        }
	    }
	}
	pools {
	    rw {
	        addrs = 10.98.0.0/24
	        dns = 10.2.0.53
	    }
	}
	secrets {
	    ike-rw {
	        id-1 = vpn.company.com
	        id-2 = alice@company.com
	        secret = "$PSK"
	    }
	}
	EOF
}

# rw_swan_client DIR LOCAL ID REMOTE: a strongSwan road-warrior conf in DIR
# (connection gw, child net): from LOCAL (or %any) to the ikev2d gateway at
# REMOTE as ID, vips = 0.0.0.0, 10.2.0.0/24 behind it
rw_swan_client() {
	mkdir -p "$1"
	cat > "$1/swanctl.conf" <<-EOF
	connections {
	    gw {
	        version = 2
	        local_addrs = $2
	        remote_addrs = $4
	        vips = 0.0.0.0
	        proposals = aes256gcm16-prfsha384-x25519
	        local {
	            auth = psk
	            id = $3
	        }
	        remote {
	            auth = psk
	            id = vpn.company.com
	        }
	        children {
	            net {
	                esp_proposals = aes256gcm16
	                remote_ts = 10.2.0.0/24
	            }
	        }
	    }
	}
	secrets {
	    ike-rw {
	        id-1 = $3
	        id-2 = vpn.company.com
	        secret = "$PSK"
	    }
	}
	EOF
}

rw_swan_setup() {
	topo_router
	[ "${1:-}" = wlan ] && rw_wlan
	n r ip route add 10.98.0.0/24 via 10.1.0.2
	nfsec_load
	S=$top/r
	rw_swan_gateway "$S"
	A=$top/a
	rw_alice "$A"
	rw_server "$top"
}

rw_wlan() {
	ip link add wlan netns a type veth peer name eth-a2 netns r
	n r ip link set eth-a2 up
	addr_add r eth-a2 10.4.0.1/24
	addr_add a wlan 10.4.0.2/24
}

rw_stream() {
	head -c 393216 /dev/urandom > "$1/stream"
	cat > "$1/pace.sh" <<-EOF
	i=0
	while [ \$i -lt 24 ]; do
		[ \$i = 8 ] && until [ -e $1/go1 ]; do sleep 0.1; done
		[ \$i = 16 ] && until [ -e $1/go2 ]; do sleep 0.1; done
		dd if=$1/stream bs=16384 skip=\$i count=1 status=none
		sleep 0.1
		i=\$((i + 1))
	done
	EOF
	ip netns exec b socat TCP4-LISTEN:8082,reuseaddr SYSTEM:"sh $1/pace.sh" &
	_rw_bg+=($!)
	wait_for 10 sh -c "ip netns exec b ss -Hltn 'sport = :8082' | grep -q ."
}

rw_stream_get() {
	ip netns exec "$1" timeout 170 socat -u TCP4:10.2.0.2:8082,connect-timeout=10${3:+,bind=$3} - \
		> "$2/got" &
	stream=$!
	_rw_bg+=($!)
}

stream_intact() { wait "$stream" && cmp -s "$top/stream" "$top/got"; }

got_at_least() { [ "$(stat -c %s "$top/got" 2>/dev/null || echo 0)" -ge "$1" ]; }

gw_policies() { n r ipsecctl policy list; }
lists_policy() { gw_policies | grep -q "$1"; }
no_policy() { ! gw_policies | grep -q "$1"; }
gw_sas() { n r ipsecctl -j sa list | jq -s length; }
rw_sas() { n "$1" ipsecctl -j sa list | jq -r '"\(.dir) \(.spi_hex) \(.src) \(.dst)"' | sort; }
rw_spis() { rw_sas "$1" | cut -d' ' -f1,2; }
rw_outer() { rw_sas "$1" | grep "^$2 " | cut -d' ' -f3,4; }
rw_list() { n "$1" ipsecctl -S "$2/ikev2d.sock" ike list; }
rw_ike_sas() { rw_list "$1" "$2" | grep -c '^ike ' || true; }
rw_start_gw() { ikev2d_start r "$G"; gw_pid=$_ikev2d_pid; }
rw_start_alice() { ikev2d_start a "$A" "$@"; alice_pid=$_ikev2d_pid; }
rw_alice_up() { rw_list a "$A" | grep -q '^child vpn.* INSTALLED'; }
