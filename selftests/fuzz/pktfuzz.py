#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Mutate captured IPsec packets and send them to nfsec's inbound path.

pktfuzz.py PCAP IFACE COUNT SEED

PCAP holds real, valid frames (ESP, AH, ESP in UDP; IPv4 and IPv6) captured
on IFACE on their way to the host under test. Each round takes one of them,
applies one to three mutations and sends the result on IFACE with the
captured Ethernet header, through a packet socket (no stack of ours in the
way: what leaves is exactly what was built). The mutations aim at the
parsers a receiver has: IP header fields and options, IPv6 extension-header
chains, fragments (overlapping, missing, out of order), truncation, SPI and
sequence numbers, the ESP trailer, the UDP header and non-ESP marker of ESP
in UDP, IKE-port datagrams, and ICMP errors quoting ESP and AH.

A seeded random generator makes a run reproducible: the seed is printed,
and the same seed and capture replay the same packets. No dependency
beyond the standard library, so that it starts quickly in the VM.
"""
import random
import socket
import struct
import sys
import time

ETH_P_IP, ETH_P_IPV6 = 0x0800, 0x86DD
ESP, AH, UDP, ICMP, ICMP6 = 50, 51, 17, 1, 58
HBH, ROUTING, FRAG6, DSTOPTS, NONE6 = 0, 43, 44, 60, 59


def read_pcap(path):
    """The Ethernet frames of a classic pcap file (linktype 1)."""
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack_from("<I", data)[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    if struct.unpack_from(endian + "I", data, 20)[0] != 1:
        sys.exit("pktfuzz: not an Ethernet capture")
    frames, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack_from(endian + "I", data, off + 8)[0]
        frames.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return frames


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Packet:
    """An IP packet split as a receiver sees it: header, chain, payload."""

    def __init__(self, frame):
        self.eth = frame[:14]
        self.v6 = struct.unpack_from("!H", frame, 12)[0] == ETH_P_IPV6
        ip = frame[14:]
        if self.v6:
            self.hdr = bytearray(ip[:40])
            self.proto = ip[6]
            self.ext = b""		# extension headers we add
            self.body = bytearray(ip[40:40 + struct.unpack_from("!H", ip, 4)[0]])
        else:
            hl = (ip[0] & 15) * 4
            self.hdr = bytearray(ip[:hl])
            self.proto = ip[9]
            self.body = bytearray(ip[hl:struct.unpack_from("!H", ip, 2)[0]])
        self.fix = True		# lengths and checksum made right on output

    def spi_offset(self):
        """Where the SPI is in body (ESP, AH, ESP in UDP), or None."""
        if self.proto == ESP:
            return 0
        if self.proto == AH:
            return 4
        if self.proto == UDP:
            return 8
        return None

    def ip_bytes(self, body=None, proto=None, frag=None):
        body = self.body if body is None else body
        hdr = bytearray(self.hdr)
        proto = self.proto if proto is None else proto
        if self.v6:
            chain = self.ext
            first = proto
            if chain:
                first = chain[0]
                chain = chain[1]
                # the last extension header's next header is the payload's
                chain = bytearray(chain)
                chain[self.ext_last] = proto
            if frag is not None:
                fh = struct.pack("!BBHI", first, 0, frag[0], frag[1])
                # the fragment header goes first; what it fragments follows
                first, chain = FRAG6, fh + bytes(chain)
            hdr[6] = first
            if self.fix:
                struct.pack_into("!H", hdr, 4, len(chain) + len(body))
            return bytes(hdr) + bytes(chain) + bytes(body)
        hdr[9] = proto
        if frag is not None:
            struct.pack_into("!H", hdr, 6, frag)
        if self.fix:
            struct.pack_into("!H", hdr, 2, len(hdr) + len(body))
            struct.pack_into("!H", hdr, 10, 0)
            struct.pack_into("!H", hdr, 10, csum(bytes(hdr)))
        return bytes(hdr) + bytes(body)


class Fuzzer:
    def __init__(self, frames, rnd):
        self.frames = [f for f in frames if self.usable(f)]
        if not self.frames:
            sys.exit("pktfuzz: no IPv4/IPv6 frames in the capture")
        self.spis = set()
        for f in self.frames:
            p = Packet(f)
            o = p.spi_offset()
            if o is not None and len(p.body) >= o + 4:
                self.spis.add(bytes(p.body[o:o + 4]))
        self.spis = sorted(self.spis)
        self.r = rnd

    @staticmethod
    def usable(frame):
        return len(frame) > 34 and struct.unpack_from("!H", frame, 12)[0] in (
            ETH_P_IP, ETH_P_IPV6)

    # ---- mutations: each changes p in place or returns packets to send ----

    def m_flip(self, p):
        for _ in range(self.r.randint(1, 8)):
            if p.body:
                i = self.r.randrange(len(p.body))
                p.body[i] ^= 1 << self.r.randrange(8)

    def m_truncate(self, p):
        p.body = p.body[:self.r.randrange(len(p.body) + 1)]

    def m_extend(self, p):
        p.body += self.r.randbytes(self.r.choice((1, 3, 4, 16, 200)))

    def m_spi(self, p):
        o = p.spi_offset()
        if o is None or len(p.body) < o + 4:
            return
        p.body[o:o + 4] = self.r.choice((
            self.r.choice(self.spis), b"\0\0\0\0", b"\0\0\0\x01",
            b"\0\0\0\xff", b"\xff\xff\xff\xff", self.r.randbytes(4)))

    def m_seq(self, p):
        o = p.spi_offset()
        if o is None or len(p.body) < o + 8:
            return
        p.body[o + 4:o + 8] = struct.pack("!I", self.r.choice((
            0, 1, 0x7FFFFFFF, 0xFFFFFFFF, self.r.getrandbits(32))))

    def m_trailer(self, p):
        """The end of the packet: ICV, next header, pad length, padding."""
        for _ in range(self.r.randint(1, 4)):
            if p.body:
                i = len(p.body) - 1 - self.r.randrange(min(len(p.body), 48))
                p.body[i] = self.r.getrandbits(8)

    def m_ah_len(self, p):
        """AH's payload length field (in 32-bit words minus 2)."""
        if p.proto == AH and len(p.body) > 2:
            p.body[1] = self.r.choice((0, 1, 2, 3, 4, 5, 255, self.r.getrandbits(8)))

    def m_ip_fields(self, p):
        if p.v6:
            p.hdr[1] = self.r.getrandbits(8)			# class, flow label
            p.hdr[7] = self.r.choice((0, 1, 255))		# hop limit
        else:
            p.hdr[1] = self.r.getrandbits(8)			# DSCP, ECN
            p.hdr[8] = self.r.choice((0, 1, 255))		# TTL
            p.hdr[6] |= self.r.choice((0, 0x40, 0x80))		# DF, evil bit
        if self.r.random() < 0.2:
            p.fix = False					# lengths as they fall

    def m_ip_options(self, p):
        if p.v6:
            return
        opts = self.r.choice((
            b"\x01" * 4,					# NOPs
            b"\x07\x07\x04\0\0\0\0\0",			# record route
            b"\x44\x0c\x05\0" + bytes(8),			# timestamp
            self.r.randbytes(4 * self.r.randint(1, 10))))
        opts = opts[:40] + bytes(-len(opts) % 4)
        p.hdr = bytearray(p.hdr[:20] + opts)
        p.hdr[0] = 0x40 | (len(p.hdr) // 4)

    def m_v6_ext(self, p):
        """A chain of extension headers before the payload, sometimes broken."""
        if not p.v6:
            return
        chain = bytearray()
        types = [self.r.choice((HBH, DSTOPTS, ROUTING, DSTOPTS))
                 for _ in range(self.r.randint(1, 6))]
        if self.r.random() < 0.5:
            types[0] = HBH
        last = 0
        for i, t in enumerate(types):
            nxt = types[i + 1] if i + 1 < len(types) else 0
            units = self.r.choice((0, 0, 1, 2, 30))
            body = bytearray(6 + 8 * units)
            if t == ROUTING:
                body[0] = self.r.choice((0, 2, 4, 253))		# routing type
                body[1] = 0					# segments left
            elif self.r.random() < 0.3:
                body = bytearray(self.r.randbytes(len(body)))	# option soup
            hdr_len = units if self.r.random() < 0.9 else self.r.getrandbits(8)
            last = len(chain)
            chain += bytes((nxt, hdr_len)) + body
        p.ext = (types[0], bytes(chain))
        p.ext_last = last

    def fragments(self, p):
        """The packet in fragments: shuffled, overlapping or one missing."""
        body = bytes(p.body)
        size = self.r.choice((8, 16, 64, 512))
        pieces, off = [], 0
        while off < len(body):
            pieces.append((off, body[off:off + size]))
            off += size
        if len(pieces) < 2:
            pieces.append((off, b""))
        last = len(pieces) - 1
        ident = self.r.getrandbits(32 if p.v6 else 16)
        out = []
        for i, (o, data) in enumerate(pieces):
            more = 1 if i < last else 0
            if self.r.random() < 0.1:
                o = max(0, o - 8)				# overlap
            if p.v6:
                out.append(p.ip_bytes(data, frag=((o & ~7) | more, ident)))
            else:
                p.hdr[4:6] = struct.pack("!H", ident)
                out.append(p.ip_bytes(data, frag=((o // 8) | (more << 13))))
        if self.r.random() < 0.3:
            out.pop(self.r.randrange(len(out)))		# one lost
        self.r.shuffle(out)
        return out

    def m_udp(self, p):
        """ESP in UDP: the UDP header, the marker, keepalives, IKE."""
        if p.proto != UDP or len(p.body) < 8:
            return
        what = self.r.randrange(5)
        if what == 0:
            p.body[4:6] = struct.pack("!H", self.r.choice((0, 7, 8, 9, 12, 0xFFFF)))
        elif what == 1:
            p.body[8:12] = b"\0\0\0\0"			# non-ESP marker: IKE
        elif what == 2:
            p.body = p.body[:8] + b"\xff"			# a NAT keepalive
        elif what == 3:
            p.body = p.body[:8 + self.r.randrange(12)]		# short
        else:
            p.body[6:8] = self.r.randbytes(2)		# a wrong checksum
        if what != 0:
            p.body[4:6] = struct.pack("!H", len(p.body))

    def icmp_error(self, p):
        """An ICMP error from the peer quoting the packet as if we sent it."""
        quoted = bytearray(p.ip_bytes())
        if p.v6:
            quoted[8:24], quoted[24:40] = quoted[24:40], quoted[8:24]
        else:
            quoted[12:16], quoted[16:20] = quoted[16:20], quoted[12:16]
        quoted = bytes(quoted[:self.r.choice((28, 48, 64, len(quoted)))])
        q = Packet(p.eth + p.ip_bytes())
        q.ext = b""
        if p.v6:
            # Packet Too Big (MTU) or Destination Unreachable; the checksum
            # includes the pseudo-header, so compute it in full.
            t, c, mtu = self.r.choice(((2, 0, self.r.choice((1280, 1300, 68))),
                                       (1, 4, 0)))
            icmp = bytearray(struct.pack("!BBHI", t, c, 0, mtu) + quoted)
            pseudo = bytes(q.hdr[8:40]) + struct.pack("!IxxxB", len(icmp), ICMP6)
            struct.pack_into("!H", icmp, 2, csum(pseudo + bytes(icmp)))
            q.body, q.proto = icmp, ICMP6
        else:
            mtu = self.r.choice((68, 576, 1000, 1400))
            icmp = bytearray(struct.pack("!BBHHH", 3, self.r.choice((4, 3, 1)), 0, 0, mtu)
                             + quoted)
            struct.pack_into("!H", icmp, 2, csum(bytes(icmp)))
            q.body, q.proto = icmp, ICMP
        return [q.ip_bytes()]

    def ike_port(self, p):
        """A datagram to UDP 500 or 4500 with random content."""
        q = Packet(p.eth + p.ip_bytes())
        q.ext = b""
        payload = self.r.choice((b"\0\0\0\0" + self.r.randbytes(self.r.randrange(300)),
                                 self.r.randbytes(self.r.randrange(64)), b"\xff"))
        port = self.r.choice((500, 4500))
        q.body = bytearray(struct.pack("!HHHH", port, port, 8 + len(payload), 0) + payload)
        q.proto = UDP
        return [q.ip_bytes()]

    MUTATIONS = ("m_flip", "m_truncate", "m_extend", "m_spi", "m_seq", "m_trailer",
                 "m_ah_len", "m_ip_fields", "m_ip_options", "m_v6_ext", "m_udp")

    def round(self):
        """The packets of one round, as IP datagrams, and their Ethernet header."""
        p = Packet(self.r.choice(self.frames))
        p.ext = b""
        pick = self.r.random()
        if pick < 0.05:
            return p.eth, self.icmp_error(p)
        if pick < 0.08:
            return p.eth, self.ike_port(p)
        for name in self.r.sample(self.MUTATIONS, self.r.randint(1, 3)):
            getattr(self, name)(p)
        if self.r.random() < 0.1:
            return p.eth, self.fragments(p)
        return p.eth, [p.ip_bytes()]


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.splitlines()[2])
    pcap, iface, count, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    fz = Fuzzer(read_pcap(pcap), random.Random(seed))
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    sent = rounds = 0
    t0 = time.monotonic()
    while sent < count:
        eth, datagrams = fz.round()
        rounds += 1
        for ip in datagrams:
            eth = eth[:12] + struct.pack("!H", ETH_P_IPV6 if ip[0] >> 4 == 6 else ETH_P_IP)
            try:
                s.send(eth + ip)
            except OSError:
                pass	# too long for the device: nothing was sent
            sent += 1
    secs = time.monotonic() - t0
    print("pktfuzz: seed %d, %d seeds, %d rounds, %d packets in %.1f s (%.0f/s)" %
          (seed, len(fz.frames), rounds, sent, secs, sent / max(secs, 1e-3)))


if __name__ == "__main__":
    main()
