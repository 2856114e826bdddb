#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Bad SA requests, sent as raw netlink (ipsecctl refuses most of them before
# they reach the kernel): each must fail with the expected errno and an
# extack message containing the expected words, and leave the SAD as it was.
# Run by netlink.sh in a namespace holding ESP SA 0x3001 and AH SA 0x3002,
# both 192.0.2.1 -> 192.0.2.2. Usage: bad_input.py DIR-OF-nfsec.py
import errno
import os
import struct
import subprocess
import sys

sys.path.insert(0, sys.argv[1])
from nfsec import *  # noqa: E402,F403

g = Genl()
V4S, V4D, V6 = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2]), bytes(15) + b'\1'
K = bytes(range(64))
ok = fails = 0


def sad():
    """The SAD as (SPI, proto, dst) triples, and its keys (must never leak)."""
    out = []
    for _, a in g.nfsec('SA_GET', b'', NLM_F_DUMP):
        sa = parse_attrs(first(a, A_SA))
        out.append((first(sa, SA_SPI, 'I'), first(sa, SA_PROTO, 'B'), first(sa, SA_DST)))
    return sorted(out)


before = sad()


def verdict(good, desc):
    global ok, fails
    if good:
        ok += 1
        print(f'ok - {desc}')
    else:
        fails += 1
        print(f'not ok - {desc}')


def refuse(desc, cmd, payload, want_err, want_msg, flags=0):
    try:
        g.nfsec(cmd, payload, flags)
        got = 'accepted'
    except NlError as e:
        got = e
        if e.errno == want_err and want_msg.lower() in e.msg.lower():
            now = sad()
            if now == before:
                verdict(True, f'{desc}: {e}')
                return
            got = f'{e}, but the SAD changed: {now}'
    verdict(False, f'{desc}: want {os.strerror(want_err)} "{want_msg}", got {got}')


def alg(t, name, key, icv=None):
    parts = [string(ALG_NAME, name)]
    if key is not None:
        parts.append(attr(ALG_KEY, key))
    if icv is not None:
        parts.append(u32(ALG_ICV_BITS, icv))
    return nest(t, *parts)


GCM = alg(SA_AEAD, 'rfc4106(gcm(aes))', K[:20], 128)
# A valid outbound ESP SA; each case replaces, drops or adds attributes.
BASE = {
    SA_SPI: u32(SA_SPI, 0x3100), SA_PROTO: u8(SA_PROTO, 50), SA_MODE: u8(SA_MODE, 0),
    SA_DIR: u8(SA_DIR, 0), SA_FAMILY: u16(SA_FAMILY, AF_INET),
    SA_SRC: attr(SA_SRC, V4S), SA_DST: attr(SA_DST, V4D), SA_AEAD: GCM,
}


def sa(drop=(), **kw):
    """The BASE SA as NFSEC_A_SA, without `drop`, with kw (name=bytes) set."""
    d = dict(BASE)
    for t in drop:
        d.pop(t)
    for k, v in kw.items():
        d[globals()['SA_' + k.upper()]] = v
    return nest(A_SA, *d.values())


EINVAL = errno.EINVAL
AH = dict(proto=u8(SA_PROTO, 51), aead=b'')
SHA256 = alg(SA_AUTH, 'hmac(sha256)', K[:32])
IN = dict(dir=u8(SA_DIR, 1))
TUN = dict(mode=u8(SA_MODE, 1))
life = lambda t, *a: nest(t, *a)

# The base SA is good: so that each refusal is the one change's doing.
g.nfsec('SA_NEW', sa())
g.nfsec('SA_DEL', nest(A_SA, BASE[SA_SPI], BASE[SA_PROTO], BASE[SA_FAMILY], BASE[SA_DST]))
verdict(sad() == before, 'the base SA is accepted (added and deleted)')

# Algorithms.
refuse('unknown AEAD', 'SA_NEW', sa(aead=alg(SA_AEAD, 'gcm(aes)', K[:20], 128)), EINVAL, 'unknown algorithm NAME')
refuse('a cipher as AEAD', 'SA_NEW', sa(aead=alg(SA_AEAD, 'cbc(aes)', K[:16])), EINVAL, 'not an AEAD')
refuse('an AEAD as ENC', 'SA_NEW', sa(aead=b'', enc=alg(SA_ENC, 'rfc4106(gcm(aes))', K[:20]), auth=SHA256),
       EINVAL, 'not a cipher')
refuse('a cipher as AUTH', 'SA_NEW', sa(aead=b'', enc=alg(SA_ENC, 'cbc(aes)', K[:16]),
                                      auth=alg(SA_AUTH, 'cbc(aes)', K[:16])), EINVAL, 'not an integrity')
refuse('GCM key without its salt', 'SA_NEW', sa(aead=alg(SA_AEAD, 'rfc4106(gcm(aes))', K[:16], 128)), EINVAL,
       'KEY length does not fit')
refuse('ChaCha20 with a 20-byte key', 'SA_NEW',
       sa(aead=alg(SA_AEAD, 'rfc7539esp(chacha20,poly1305)', K[:20], 128)), EINVAL, 'KEY length')
refuse('AES-CBC with a 17-byte key', 'SA_NEW', sa(aead=b'', enc=alg(SA_ENC, 'cbc(aes)', K[:17]), auth=SHA256),
       EINVAL, 'KEY length')
refuse('HMAC-SHA-256 with a 20-byte key', 'SA_NEW',
       sa(aead=b'', enc=alg(SA_ENC, 'cbc(aes)', K[:16]), auth=alg(SA_AUTH, 'hmac(sha256)', K[:20])),
       EINVAL, 'KEY length')
refuse('a null cipher with a key', 'SA_NEW', sa(aead=b'', enc=alg(SA_ENC, 'ecb(cipher_null)', K[:4]), auth=SHA256),
       EINVAL, 'KEY length')
refuse('GCM ICV 100 bits', 'SA_NEW', sa(aead=alg(SA_AEAD, 'rfc4106(gcm(aes))', K[:20], 100)), EINVAL,
       'ICV_BITS invalid for this AEAD')
refuse('GCM ICV 32 bits', 'SA_NEW', sa(aead=alg(SA_AEAD, 'rfc4106(gcm(aes))', K[:20], 32)), EINVAL, 'ICV_BITS invalid')
refuse('GMAC ICV 96 bits', 'SA_NEW', sa(aead=alg(SA_AEAD, 'rfc4543(gcm(aes))', K[:20], 96)), EINVAL, 'ICV_BITS invalid')
refuse('ChaCha20-Poly1305 ICV 64 bits', 'SA_NEW',
       sa(aead=alg(SA_AEAD, 'rfc7539esp(chacha20,poly1305)', K[:36], 64)), EINVAL, 'ICV_BITS invalid')
refuse('HMAC truncated to 104 bits', 'SA_NEW',
       sa(**AH, auth=alg(SA_AUTH, 'hmac(sha256)', K[:32], 104)), EINVAL, 'multiple of 32')
refuse('HMAC-SHA-256 "truncated" to 288 bits', 'SA_NEW',
       sa(**AH, auth=alg(SA_AUTH, 'hmac(sha256)', K[:32], 288)), EINVAL, 'multiple of 32 from 96 to the digest')
refuse('HMAC truncated to 64 bits', 'SA_NEW', sa(**AH, auth=alg(SA_AUTH, 'hmac(sha512)', K[:64], 64)), EINVAL,
       'multiple of 32')
refuse('ICV_BITS on a cipher', 'SA_NEW', sa(aead=b'', enc=alg(SA_ENC, 'cbc(aes)', K[:16], 128), auth=SHA256),
       EINVAL, 'a cipher has no ICV_BITS')
refuse('algorithm without NAME', 'SA_NEW', sa(aead=nest(SA_AEAD, attr(ALG_KEY, K[:20]))), EINVAL, 'without NAME')
refuse('a 64-character NAME', 'SA_NEW', sa(aead=alg(SA_AEAD, 'x' * 64, K[:20], 128)), EINVAL, 'failed policy')
refuse('a KEY over NFSEC_KEY_MAX', 'SA_NEW', sa(aead=alg(SA_AEAD, 'rfc4106(gcm(aes))', bytes(129), 128)),
       errno.ERANGE, '')

# Which algorithms a protocol takes.
refuse('ESP without any algorithm', 'SA_NEW', sa(drop=[SA_AEAD]), EINVAL, 'ESP needs AEAD, or ENC with AUTH')
refuse('ESP with AUTH only', 'SA_NEW', sa(aead=b'', auth=SHA256), EINVAL, 'ESP needs AEAD, or ENC with AUTH')
refuse('ESP with ENC only', 'SA_NEW', sa(aead=b'', enc=alg(SA_ENC, 'cbc(aes)', K[:16])), EINVAL,
       'ESP with ENC needs AUTH')
refuse('AEAD with AUTH', 'SA_NEW', sa(auth=SHA256), EINVAL, 'no ENC or AUTH with it')
refuse('AH with an ENC key', 'SA_NEW', sa(**AH, enc=alg(SA_ENC, 'cbc(aes)', K[:16]), auth=SHA256), EINVAL,
       'AH authenticates only')
refuse('AH with an AEAD', 'SA_NEW', sa(proto=u8(SA_PROTO, 51), auth=SHA256), EINVAL, 'AH authenticates only')
refuse('AH without AUTH', 'SA_NEW', sa(**AH), EINVAL, 'AH needs AUTH')
refuse('AH with ESP-in-UDP', 'SA_NEW',
       sa(**AH, auth=SHA256, encap=nest(SA_ENCAP, u16(ENCAP_SPORT, 4500), u16(ENCAP_DPORT, 4500))),
       EINVAL, 'ENCAP and TFC_PAD are for ESP')
refuse('AH with TFC padding', 'SA_NEW', sa(**AH, auth=SHA256, tfc_pad=u32(SA_TFC_PAD, 100)), EINVAL,
       'are for ESP, not AH')

# Identity, addresses, families.
refuse('SPI 0', 'SA_NEW', sa(spi=u32(SA_SPI, 0)), EINVAL, 'SPI 0 is reserved')
for name, t in (('SPI', SA_SPI), ('PROTO', SA_PROTO), ('MODE', SA_MODE), ('DIR', SA_DIR), ('FAMILY', SA_FAMILY),
                ('SRC', SA_SRC), ('DST', SA_DST)):
    refuse(f'no {name}', 'SA_NEW', sa(drop=[t]), EINVAL, f'SA without {name}')
refuse('tunnel mode without outer addresses', 'SA_NEW', sa(drop=[SA_SRC, SA_DST], **TUN), EINVAL, 'SA without SRC')
refuse('no NFSEC_A_SA at all', 'SA_NEW', b'', EINVAL, 'missing NFSEC_A_SA')
refuse('PROTO TCP', 'SA_NEW', sa(proto=u8(SA_PROTO, 6)), errno.EPROTONOSUPPORT, 'ESP (50) or AH (51)')
refuse('FAMILY 7', 'SA_NEW', sa(family=u16(SA_FAMILY, 7)), errno.EAFNOSUPPORT, 'FAMILY must be AF_INET or AF_INET6')
refuse('FAMILY AF_UNSPEC', 'SA_NEW', sa(family=u16(SA_FAMILY, 0)), errno.EAFNOSUPPORT, 'FAMILY must be')
refuse('IPv4 SRC, IPv6 DST', 'SA_NEW', sa(dst=attr(SA_DST, V6)), EINVAL, 'address length does not match FAMILY')
refuse('IPv6 FAMILY, IPv4 addresses', 'SA_NEW', sa(family=u16(SA_FAMILY, AF_INET6)), EINVAL,
       'does not match FAMILY')
refuse('a 5-byte address', 'SA_NEW', sa(src=attr(SA_SRC, bytes(5))), EINVAL, '4 (IPv4) or 16')
refuse('DST 0.0.0.0', 'SA_NEW', sa(dst=attr(SA_DST, bytes(4))), EINVAL, 'unspecified address')
refuse('DIR FWD', 'SA_NEW', sa(dir=u8(SA_DIR, 2)), EINVAL, "an SA's DIR is IN or OUT")
refuse('DIR 3', 'SA_NEW', sa(dir=u8(SA_DIR, 3)), errno.ERANGE, 'out of range')
refuse('MODE 2', 'SA_NEW', sa(mode=u8(SA_MODE, 2)), errno.ERANGE, 'out of range')
refuse('unknown FLAGS bit', 'SA_NEW', sa(flags=u32(SA_FLAGS, 1 << 9)), EINVAL, 'reserved bit')
refuse('a duplicate of SA 0x3001', 'SA_NEW', sa(spi=u32(SA_SPI, 0x3001)), errno.EEXIST,
       'an SA with this SPI, DST and PROTO exists')

# Sequence numbers and anti-replay.
refuse('replay window 4097', 'SA_NEW', sa(**IN, replay_window=u32(SA_REPLAY_WINDOW, 4097)), EINVAL,
       'REPLAY_WINDOW is 0 (off) or 32')
refuse('replay window 16', 'SA_NEW', sa(**IN, replay_window=u32(SA_REPLAY_WINDOW, 16)), EINVAL,
       'REPLAY_WINDOW is 0 (off) or 32')
refuse('replay window on an outbound SA', 'SA_NEW', sa(replay_window=u32(SA_REPLAY_WINDOW, 64)), EINVAL,
       'REPLAY_WINDOW is for inbound SAs')
refuse('ESN inbound without a window', 'SA_NEW',
       sa(**IN, replay_window=u32(SA_REPLAY_WINDOW, 0), flags=u32(SA_FLAGS, SA_F_ESN)), EINVAL,
       'ESN on an inbound SA needs a replay window')
refuse('SEQ on an inbound SA without a window', 'SA_NEW',
       sa(**IN, replay_window=u32(SA_REPLAY_WINDOW, 0), seq=u64(SA_SEQ, 5)), EINVAL,
       'SEQ on an inbound SA needs a replay window')
refuse('inbound SEQ past 2^32 without ESN', 'SA_NEW', sa(**IN, seq=u64(SA_SEQ, 1 << 32)), EINVAL,
       'needs the ESN flag')
refuse('SEQ past 2^32 without ESN', 'SA_NEW', sa(seq=u64(SA_SEQ, 1 << 32)), EINVAL, 'needs the ESN flag')

# Outer header, encapsulation, sizes.
refuse('DF in transport mode', 'SA_NEW', sa(df=u8(SA_DF, 1)), EINVAL, 'tunnel mode only')
refuse('DSCP without DSCP_SET', 'SA_NEW', sa(**TUN, dscp=u8(SA_DSCP, 10)), EINVAL, 'go together')
refuse('DSCP_SET without DSCP', 'SA_NEW', sa(**TUN, flags=u32(SA_FLAGS, SA_F_DSCP_SET)), EINVAL, 'go together')
refuse('DSCP 64', 'SA_NEW', sa(**TUN, dscp=u8(SA_DSCP, 64)), errno.ERANGE, 'out of range')
refuse('ENCAP without DPORT', 'SA_NEW', sa(encap=nest(SA_ENCAP, u16(ENCAP_SPORT, 4500))), EINVAL,
       'ENCAP needs SPORT and DPORT')
refuse('ENCAP port 0', 'SA_NEW', sa(encap=nest(SA_ENCAP, u16(ENCAP_SPORT, 0), u16(ENCAP_DPORT, 4500))), EINVAL,
       'both non-zero')
refuse('MTU 10', 'SA_NEW', sa(mtu=u32(SA_MTU, 10)), EINVAL, 'MTU is 0 (from the route) or 68')
refuse('TFC padding 70000', 'SA_NEW', sa(tfc_pad=u32(SA_TFC_PAD, 70000)), EINVAL, 'TFC_PAD is at most')

# Selectors and lifetimes.
sel = lambda *a: nest(SA_SEL, *a)
refuse('SEL with an ICMP type', 'SA_NEW', sa(sel=sel(u8(S_PROTO, 1), u8(S_ICMP_TYPE, 8))), EINVAL,
       'addresses, PROTO and ports only')
refuse('SEL with a NAME', 'SA_NEW', sa(sel=sel(string(S_NAME, 'x'))), EINVAL, 'addresses, PROTO and ports only')
refuse('SEL ports without a protocol', 'SA_NEW', sa(sel=sel(u16(S_DPMIN, 80))), EINVAL, 'ports need PROTO')
refuse('SEL port 0 alone', 'SA_NEW', sa(sel=sel(u8(S_PROTO, 6), u16(S_DPMIN, 0), u16(S_DPMAX, 0))), EINVAL,
       'port 0 alone')
refuse('IPv6 SEL on an IPv4 transport SA', 'SA_NEW', sa(sel=sel(nest(S_DST, attr(AD_START, V6)))), EINVAL,
       "transport-mode SA's SEL")
refuse('SEL of two families', 'SA_NEW',
       sa(**TUN, sel=sel(nest(S_SRC, attr(AD_START, V4S)), nest(S_DST, attr(AD_START, V6)))), EINVAL,
       'does not match the family')
refuse('soft bytes beyond hard', 'SA_NEW',
       sa(lifetime_soft=life(SA_LIFETIME_SOFT, u64(LFT_BYTES, 100)),
          lifetime_hard=life(SA_LIFETIME_HARD, u64(LFT_BYTES, 50))), EINVAL, 'soft limit is beyond its hard')
refuse('soft seconds beyond hard', 'SA_NEW',
       sa(lifetime_soft=life(SA_LIFETIME_SOFT, u64(LFT_ADD_SECONDS, 10)),
          lifetime_hard=life(SA_LIFETIME_HARD, u64(LFT_ADD_SECONDS, 5))), EINVAL, 'soft limit is beyond')
refuse('2^40 seconds', 'SA_NEW', sa(lifetime_hard=life(SA_LIFETIME_HARD, u64(LFT_ADD_SECONDS, 1 << 40))),
       EINVAL, 'at most 2^32 - 1 seconds')
refuse('a u32 lifetime', 'SA_NEW', sa(lifetime_hard=life(SA_LIFETIME_HARD, u32(LFT_BYTES, 5))), EINVAL,
       'invalid attribute length')

# Strict attributes.
refuse('STATS in a request', 'SA_NEW', sa(stats=nest(SA_STATS)), EINVAL, '')
refuse('CURRENT in a request', 'SA_NEW', sa(current=nest(SA_CURRENT)), EINVAL, '')
refuse('unknown attribute in an SA', 'SA_NEW', nest(A_SA, *BASE.values(), u32(40, 1)), EINVAL,
       'unknown attribute')
refuse('SHOW_KEYS in SA_NEW', 'SA_NEW', sa() + flag(A_SHOW_KEYS), EINVAL, 'Unsupported attribute')

# Identity commands.
ID = lambda spi=0x3001, proto=50, dst=V4D, fam=AF_INET, *extra: nest(
    A_SA, u32(SA_SPI, spi), u8(SA_PROTO, proto), u16(SA_FAMILY, fam), attr(SA_DST, dst), *extra)
refuse('DEL of a missing SA', 'SA_DEL', ID(0x3999), errno.ESRCH, 'no SA with this SPI, DST and PROTO')
refuse('DEL with the wrong protocol', 'SA_DEL', ID(0x3001, 51), errno.ESRCH, 'no SA')
refuse('DEL without DST', 'SA_DEL', nest(A_SA, u32(SA_SPI, 0x3001), u8(SA_PROTO, 50), u16(SA_FAMILY, 2)),
       EINVAL, 'SA without DST')
refuse('DEL with more than the identity', 'SA_DEL', ID(0x3001, 50, V4D, AF_INET, u8(SA_MODE, 0)), EINVAL,
       'not accepted by this command')
refuse('GET of a missing SA', 'SA_GET', ID(0x3999), errno.ESRCH, 'no SA')
refuse('GET with SPI 0', 'SA_GET', ID(0), EINVAL, 'SPI 0 is reserved')
refuse('a dump filtered by DST', 'SA_GET', nest(A_SA, attr(SA_DST, V4D)), EINVAL, 'not accepted', NLM_F_DUMP)
refuse('FLUSH filtered by SPI', 'SA_FLUSH', nest(A_SA, u32(SA_SPI, 0x3001)), EINVAL, 'not accepted')
PATH = lambda *a: nest(A_SA_PATH, *a)
P4 = (u16(PATH_FAMILY, AF_INET), attr(PATH_SRC, V4S), attr(PATH_DST, bytes([198, 51, 100, 1])))
refuse('UPDATE without a path', 'SA_UPDATE', ID(), EINVAL, 'missing NFSEC_A_SA_PATH')
refuse('UPDATE path without SRC', 'SA_UPDATE', ID() + PATH(P4[0], P4[2]), EINVAL, 'SA_PATH needs FAMILY, SRC and DST')
refuse('UPDATE of a missing SA', 'SA_UPDATE', ID(0x3999) + PATH(*P4), errno.ESRCH, 'no SA')
refuse('UPDATE of AH to ESP-in-UDP', 'SA_UPDATE',
       ID(0x3002, 51) + PATH(*P4, nest(PATH_ENCAP, u16(ENCAP_SPORT, 4500), u16(ENCAP_DPORT, 4500))), EINVAL,
       'ENCAP is for ESP')
refuse('UPDATE of a transport SA to IPv6', 'SA_UPDATE',
       ID() + PATH(u16(PATH_FAMILY, AF_INET6), attr(PATH_SRC, V6), attr(PATH_DST, V6)), EINVAL,
       'transport-mode SA cannot change FAMILY')
refuse('UPDATE path of mixed families', 'SA_UPDATE', ID() + PATH(P4[0], P4[1], attr(PATH_DST, V6)), EINVAL,
       'does not match FAMILY')
g.nfsec('SA_NEW', sa(spi=u32(SA_SPI, 0x3001), dst=attr(SA_DST, bytes([198, 51, 100, 1]))))
mid = sad()
before, saved = mid, before
refuse('UPDATE onto another SA', 'SA_UPDATE', ID() + PATH(*P4), errno.EEXIST, 'another SA has this SPI')
g.nfsec('SA_DEL', ID(0x3001, 50, bytes([198, 51, 100, 1])))
before = saved
verdict(sad() == before, 'the extra SA for the collision is gone')
spi_id = nest(A_SA, u8(SA_PROTO, 50), u16(SA_FAMILY, AF_INET), attr(SA_DST, V4S))
refuse('SPI_ALLOC from 255', 'SPI_ALLOC', spi_id + u32(A_SPI_MIN, 255) + u32(A_SPI_MAX, 1000), EINVAL,
       'SPI_MIN below 256')
refuse('SPI_ALLOC min above max', 'SPI_ALLOC', spi_id + u32(A_SPI_MIN, 2000) + u32(A_SPI_MAX, 1000), EINVAL,
       'SPI_MIN is above SPI_MAX')
refuse('SPI_ALLOC with an SPI', 'SPI_ALLOC', nest(A_SA, u32(SA_SPI, 5000), u8(SA_PROTO, 50),
                                                 u16(SA_FAMILY, 2), attr(SA_DST, V4S)), EINVAL, 'not accepted')
refuse('SPI_ALLOC without PROTO', 'SPI_ALLOC', nest(A_SA, u16(SA_FAMILY, 2), attr(SA_DST, V4S)), EINVAL,
       'SA without PROTO')

# Keys only for CAP_NET_ADMIN; no key without SHOW_KEYS.
r = g.nfsec('SA_GET', ID())
a = parse_attrs(first(r[0][1], A_SA))
verdict(first(parse_attrs(first(a, SA_AEAD)), ALG_KEY) is None and
        first(parse_attrs(first(a, SA_AEAD)), ALG_NAME) == b'rfc4106(gcm(aes))\0',
        'GET without SHOW_KEYS: the AEAD named, no KEY')
r = g.nfsec('SA_GET', ID() + flag(A_SHOW_KEYS))
a = parse_attrs(first(r[0][1], A_SA))
verdict(len(first(parse_attrs(first(a, SA_AEAD)), ALG_KEY)) == 20, 'GET with SHOW_KEYS: the 20-byte KEY')
drop = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all',
        '--bounding-set=-all', 'python3', '-c', f'''
import sys; sys.path.insert(0, {sys.argv[1]!r})
from nfsec import *
g = Genl()
dump = sys.argv[1] == 'dump'
req, flags = (b'', NLM_F_DUMP) if dump else ({ID()!r}, 0)
try:
    g.nfsec('SA_GET', req, flags)
    print('read ok')
    g.nfsec('SA_GET', req + flag(A_SHOW_KEYS), flags)
    print('keys read')
except NlError as e:
    print(e.errno, e.msg)
''']
for how in ('do', 'dump'):
    p = subprocess.run(drop + [how], capture_output=True, text=True)
    verdict(p.stdout.splitlines() == ['read ok', f'{errno.EPERM} SHOW_KEYS needs CAP_NET_ADMIN'],
            f'unprivileged {how}: SAs readable, SHOW_KEYS refused: {p.stdout.strip()} {p.stderr.strip()}')

print(f'{ok} correct, {fails} wrong')
sys.exit(1 if fails else 0)
