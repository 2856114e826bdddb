# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the IKE selftests, sourced after ../lib.sh: a strongSwan
# charon per namespace (the recipe of /work/shared/ENVIRONMENT.md "Real
# peers"), ikev2d per namespace, and their control channels.
#
#   swan_start NS DIR          charon in NS with DIR/strongswan.conf, DIR/swanctl.conf
#   swan NS DIR ARGS...        swanctl against that charon
#   ikev2d_start NS DIR ARGS...  ikev2d -F -c DIR/ikev2d.conf, socket DIR/ikev2d.sock
#   ikectl DIR COMMAND...      one control-socket command; prints the reply
#                              without the final OK, fails on ERR
#   ike_stop                   stop every charon and ikev2d started so far
#   pki_ca NAME CN             a self-signed ECDSA P-384 CA in $pki/NAME.pem, .key
#   pki_cert NAME KEYSPEC CN CA [SAN]   a certificate for CN issued by CA
#
# Every process started here is killed on exit, before lib.sh deletes the
# namespaces.

_ike_pids=()
_ike_logs=()

_ike_cleanup() {
	local rc=$? p f
	# wait returns 143 for a daemon it killed: under set -e that would
	# end the trap here, with a status that hides the test's own.
	set +e
	if [ $rc != 0 ]; then
		for f in "${_ike_logs[@]}"; do
			[ -f "$f" ] || continue
			echo "# ---- $f (last ${IKE_LOG_LINES:-60} lines)"
			tail -n "${IKE_LOG_LINES:-60}" "$f" | sed 's/^/# /'
		done
	fi
	for p in "${_ike_pids[@]}"; do
		kill "$p" 2>/dev/null
	done
	for p in "${_ike_pids[@]}"; do
		wait "$p" 2>/dev/null
	done
	(exit $rc)
	_cleanup
}
trap _ike_cleanup EXIT

ike_stop() { reap "${_ike_pids[@]}"; _ike_pids=(); }

# swan_conf DIR: the strongswan.conf of the recipe (explicit plugin list,
# vici socket and log in DIR, short retransmissions for the DPD tests).
swan_conf() {
	local dir=$1
	mkdir -p "$dir/run"
	cat > "$dir/strongswan.conf" <<-EOC
	swanctl {
		load = random nonce openssl pem pkcs1 x509 pubkey
	}
	charon {
		load = random nonce openssl hmac sha1 sha2 aes gcm gmp kdf pem pkcs1 x509 pubkey socket-default kernel-netlink vici
		install_routes = no
		retransmit_timeout = 1
		retransmit_base = 1.4
		retransmit_tries = 3
		plugins {
			vici {
				socket = unix://$dir/charon.vici
			}
		}
		filelog {
			charon {
				path = $dir/charon.log
				time_format = %T
				default = 1
				ike = 2
				cfg = 2
				flush_line = yes
			}
		}
	}
	EOC
}

swan_start() {
	local ns=$1 dir=$2
	[ -f "$dir/strongswan.conf" ] || swan_conf "$dir"
	ip netns exec "$ns" env STRONGSWAN_CONF="$dir/strongswan.conf" \
		sh -c "mount --bind '$dir/run' /run && exec /usr/lib/ipsec/charon" \
		>"$dir/charon.out" 2>&1 &
	_ike_pids+=($!)
	_ike_logs+=("$dir/charon.log")
	wait_for 20 test -S "$dir/charon.vici"
	swan "$ns" "$dir" --load-all --noprompt --file "$dir/swanctl.conf" >"$dir/load.out" 2>&1 ||
		{ cat "$dir/load.out"; fail "swanctl --load-all failed"; }
}

swan() {
	local ns=$1 dir=$2
	shift 2
	n "$ns" timeout 60 env STRONGSWAN_CONF="$dir/strongswan.conf" \
		swanctl "$@" --uri "unix://$dir/charon.vici"
}

ikev2d_start() {
	local ns=$1 dir=$2
	shift 2
	# one left by an ikev2d that was killed would pass the wait below
	rm -f "$dir/ikev2d.sock"
	# ip netns exec, not n: $! must be ikev2d itself, not a subshell
	ip netns exec "$ns" ikev2d -F -d -c "$dir/ikev2d.conf" --socket "$dir/ikev2d.sock" "$@" \
		>"$dir/ikev2d.log" 2>&1 &
	_ike_pids+=($!)
	_ike_logs+=("$dir/ikev2d.log")
	_ikev2d_pid=$!
	wait_for 10 test -S "$dir/ikev2d.sock"
}

ikectl() {
	local dir=$1
	shift
	python3 - "$dir/ikev2d.sock" "$*" <<-'EOP'
	import socket, sys
	s = socket.socket(socket.AF_UNIX)
	s.connect(sys.argv[1])
	s.sendall((sys.argv[2] + "\n").encode())
	buf = b""
	while True:
	    lines = buf.decode().splitlines()
	    if lines and (lines[-1] == "OK" or lines[-1].startswith("ERR")) and buf.endswith(b"\n"):
	        break
	    d = s.recv(65536)
	    if not d:
	        break
	    buf += d
	lines = buf.decode().splitlines()
	print("\n".join(lines[:-1]))
	if not lines or lines[-1] != "OK":
	    print(lines[-1] if lines else "no answer", file=sys.stderr)
	    sys.exit(1)
	EOP
}

# pki_ca NAME CN: a self-signed ECDSA P-384 CA, $pki/NAME.pem and .key
pki_ca() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -days 2 \
		-subj "/C=CH/O=nfsec test/CN=$2" -keyout "$pki/$1.key" -out "$pki/$1.pem" \
		-addext "basicConstraints=critical,CA:TRUE" \
		-addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
	[ -s "$pki/$1.pem" ] || fail "openssl did not make $1.pem"
}

# pki_cert NAME KEYSPEC CN CA [SAN]: $pki/NAME.pem and .key for C=CH,
# O=nfsec test, CN=CN with subjectAltName SAN (default DNS:CN), issued by
# CA. KEYSPEC: rsa:2048, P-256...
pki_cert() {
	local name=$1 spec=$2 cn=$3 issuer=$4 san=${5:-DNS:$3} keyopt
	case $spec in
	rsa:*) keyopt=(-newkey "$spec") ;;
	*) keyopt=(-newkey ec -pkeyopt "ec_paramgen_curve:$spec") ;;
	esac
	openssl req -new "${keyopt[@]}" -nodes -subj "/C=CH/O=nfsec test/CN=$cn" \
		-addext "subjectAltName=$san" -keyout "$pki/$name.key" 2>/dev/null |
	openssl x509 -req -days 2 -CA "$pki/$issuer.pem" -CAkey "$pki/$issuer.key" \
		-copy_extensions copy -out "$pki/$name.pem" 2>/dev/null
	[ -s "$pki/$name.pem" ] || fail "openssl did not make $name.pem"
}
