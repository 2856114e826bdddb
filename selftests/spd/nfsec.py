#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# A minimal generic-netlink client for the nfsec family, for the selftests
# only, until ipsecctl lands in main. Its grammar follows ipsecctl's
# (issue 3) so that tests can switch to ipsecctl by changing one variable.
#
#   nfsec.py policy add dir D [src A] [dst A] [proto P] [sport N[-M]]
#            [dport N[-M]] [type T] [code C] [opaque] [name ID] [pfp LIST]
#            [priority N] [family inet|inet6] action A [ipsec esp|ah]
#            [mode tunnel|transport] [tunnel SRC DST] [reqid N]
#            [proposal S]
#   nfsec.py policy list [dir D]     nfsec.py policy del id N
#   nfsec.py policy flush [dir D]    nfsec.py policy lookup dir D src A dst B ...
#   nfsec.py -f FILE [-n]            atomic replace (check only with -n)
#   nfsec.py monitor [count N] [timeout S]
#   nfsec.py stats
import errno
import ipaddress
import os
import select
import socket
import struct
import sys
import time

NETLINK_GENERIC = 16
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLM_F_DUMP_INTR = 0x10
NLMSG_ERROR, NLMSG_DONE = 2, 3
GENL_ID_CTRL = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK = 1, 11
SOL_NETLINK = 270
NLA_F_NESTED = 0x8000

CMD = dict(POLICY_NEW=1, POLICY_DEL=2, POLICY_GET=3, POLICY_FLUSH=4,
           POLICY_REPLACE=5, POLICY_LOOKUP=6, STATS_GET=7, ACQUIRE=8,
           SA_NEW=9, SA_UPDATE=10, SA_DEL=11, SA_GET=12, SA_FLUSH=13,
           SPI_ALLOC=14, EXPIRE=15)
A_POLICY, A_POLICY_LIST, A_GENERATION, A_POLICY_COUNT, A_CHECK_ONLY = 1, 2, 3, 4, 5
A_LOOKUP, A_STATS, A_ACQUIRE = 6, 7, 8
A_SA, A_SA_PATH, A_SHOW_KEYS, A_SPI_MIN, A_SPI_MAX, A_EXPIRE = range(9, 15)
(SA_SPI, SA_PROTO, SA_MODE, SA_DIR, SA_FAMILY, SA_SRC, SA_DST, SA_REQID, SA_SEL,
 SA_AEAD, SA_ENC, SA_AUTH, SA_REPLAY_WINDOW, SA_FLAGS, SA_DF, SA_DSCP, SA_ENCAP,
 SA_LIFETIME_SOFT, SA_LIFETIME_HARD, SA_TFC_PAD, SA_MTU, SA_SEQ, SA_STATS,
 SA_CURRENT) = range(2, 26)
ALG_NAME, ALG_KEY, ALG_ICV_BITS = 1, 2, 3
ENCAP_SPORT, ENCAP_DPORT = 1, 2
LFT_BYTES, LFT_PACKETS, LFT_ADD_SECONDS, LFT_USE_SECONDS = 2, 3, 4, 5
PATH_FAMILY, PATH_SRC, PATH_DST, PATH_ENCAP = 1, 2, 3, 4
SA_F_ESN, SA_F_DSCP_SET = 1, 2
P_ID, P_DIR, P_PRIORITY, P_FAMILY, P_SEL, P_ACTION, P_IPSEC, P_STATS = range(1, 9)
S_SRC, S_DST, S_PROTO, S_SPMIN, S_SPMAX, S_DPMIN, S_DPMAX = range(1, 8)
S_ICMP_TYPE, S_ICMP_CODE, S_OPAQUE, S_NAME, S_PFP = range(8, 13)
AD_START, AD_END, AD_PLEN = 1, 2, 3
I_PROTO, I_MODE, I_TSRC, I_TDST, I_REQID, I_PROPOSAL = range(1, 7)
L_DIR, L_SRC, L_DST, L_PROTO, L_SPORT, L_DPORT, L_RESULT, L_TABLE = range(1, 9)

DIRS = ['out', 'in', 'fwd']
ACTIONS = ['bypass', 'discard', 'protect']
TABLES = ['none', 'spd-s', 'spd-i', 'spd-o']
DROPS = ['discard', 'unprotected', 'no-sa', 'acquire-timeout', 'malformed', 'nomem']
PROTOS = {'tcp': 6, 'udp': 17, 'icmp': 1, 'ipv6-icmp': 58, 'icmpv6': 58,
          'sctp': 132, 'udplite': 136, 'esp': 50, 'ah': 51, 'gre': 47}
PFP = {'src': 1, 'dst': 2, 'proto': 4, 'sport': 8, 'dport': 16}
AF_INET, AF_INET6 = 2, 10


class NlError(Exception):
    def __init__(self, err, msg):
        super().__init__(f'{os.strerror(err)}' + (f': {msg}' if msg else ''))
        self.errno = err
        self.msg = msg


def attr(t, data):
    hdr = struct.pack('HH', 4 + len(data), t)
    return hdr + data + b'\0' * ((4 - len(data) % 4) % 4)


def nest(t, *parts):
    return attr(t | NLA_F_NESTED, b''.join(parts))


def u8(t, v): return attr(t, struct.pack('B', v))
def u16(t, v): return attr(t, struct.pack('H', v))
def u32(t, v): return attr(t, struct.pack('I', v))
def u64(t, v): return attr(t, struct.pack('Q', v))
def flag(t): return attr(t, b'')
def string(t, s): return attr(t, s.encode() + b'\0')


def parse_attrs(data):
    out = {}
    while len(data) >= 4:
        ln, t = struct.unpack('HH', data[:4])
        if ln < 4:
            break
        out.setdefault(t & 0x3fff, []).append(data[4:ln])
        data = data[(ln + 3) & ~3:]
    return out


def first(attrs, t, fmt=None):
    v = attrs.get(t, [None])[0]
    if v is None or fmt is None:
        return v
    return struct.unpack(fmt, v[:struct.calcsize(fmt)])[0]


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 22)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, 32, 1 << 24)  # SO_SNDBUFFORCE
        except OSError:
            pass
        self.sock.bind((0, 0))
        self.seq = 1
        fam = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                           string(CTRL_ATTR_FAMILY_NAME, 'nfsec'))[0][1]
        self.fid = first(fam, CTRL_ATTR_FAMILY_ID, 'H')
        self.groups = {}
        for g in parse_attrs(first(fam, CTRL_ATTR_MCAST_GROUPS) or b'').values():
            for grp in g:
                ga = parse_attrs(grp)
                self.groups[first(ga, 1)[:-1].decode()] = first(ga, 2, 'I')

    def send(self, fid, cmd, payload, flags):
        self.seq += 1
        msg = struct.pack('BBH', cmd, 1, 0) + payload
        self.sock.send(struct.pack('IHHII', 16 + len(msg), fid,
                                   flags | NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + msg)

    def request(self, fid, cmd, payload=b'', flags=0):
        """Returns [(nlmsg flags, attrs)] of every reply; raises NlError."""
        self.send(fid, cmd, payload, flags)
        replies = []
        while True:
            data = self.sock.recv(1 << 22)
            while data:
                ln, t, fl, seq, _ = struct.unpack('IHHII', data[:16])
                body = data[16:ln]
                data = data[(ln + 3) & ~3:]
                if t == NLMSG_DONE:
                    # A failed dump ends with its errno, and the extack
                    # message right after it.
                    err = -struct.unpack('i', body[:4])[0] if len(body) >= 4 else 0
                    if err <= 0:
                        return replies
                    m = first(parse_attrs(body[4:]), 1) if fl & 0x200 else None
                    raise NlError(err, m.rstrip(b'\0').decode() if m else '')
                if t == NLMSG_ERROR:
                    err = -struct.unpack('i', body[:4])[0]
                    if err == 0:
                        return replies
                    msg = ''
                    if fl & 0x200:  # NLM_F_ACK_TLVS
                        inner = struct.unpack('I', body[4:8])[0]
                        tl = parse_attrs(body[4 + (16 if fl & 0x100 else inner):])  # NLM_F_CAPPED
                        m = first(tl, 1)
                        if m:
                            msg = m.rstrip(b'\0').decode()
                    raise NlError(err, msg)
                replies.append((fl, parse_attrs(body[4:])))

    def nfsec(self, cmd, payload=b'', flags=0):
        return self.request(self.fid, CMD[cmd], payload, flags)


# --- grammar ---------------------------------------------------------------

def addr_bytes(s):
    return ipaddress.ip_address(s).packed


def addr_sel(t, s):
    if '-' in s:
        a, b = s.split('-', 1)
        return nest(t, attr(AD_START, addr_bytes(a)), attr(AD_END, addr_bytes(b)))
    if '/' in s:
        a, p = s.split('/', 1)
        return nest(t, attr(AD_START, addr_bytes(a)), u8(AD_PLEN, int(p)))
    return nest(t, attr(AD_START, addr_bytes(s)))


def proto_num(s):
    return PROTOS[s] if s in PROTOS else int(s)


def port_range(lo, hi, s):
    a, _, b = s.partition('-')
    return u16(lo, int(a)) + u16(hi, int(b or a))


def policy_attrs(words):
    """ipsecctl 'policy add' keywords -> the POLICY nest."""
    sel, ipsec, top = [], [], []
    w = list(words)
    while w:
        k = w.pop(0)
        if k == 'dir':
            top.append(u8(P_DIR, DIRS.index(w.pop(0))))
        elif k == 'action':
            top.append(u8(P_ACTION, ACTIONS.index(w.pop(0))))
        elif k == 'priority':
            top.append(u32(P_PRIORITY, int(w.pop(0))))
        elif k == 'family':
            top.append(u16(P_FAMILY, {'inet': AF_INET, 'inet6': AF_INET6}[w.pop(0)]))
        elif k in ('src', 'dst'):
            v = w.pop(0)
            if v != 'any':
                sel.append(addr_sel(S_SRC if k == 'src' else S_DST, v))
        elif k == 'proto':
            v = w.pop(0)
            if v != 'any':
                sel.append(u8(S_PROTO, proto_num(v)))
        elif k == 'sport':
            sel.append(port_range(S_SPMIN, S_SPMAX, w.pop(0)))
        elif k == 'dport':
            sel.append(port_range(S_DPMIN, S_DPMAX, w.pop(0)))
        elif k == 'type':
            sel.append(u8(S_ICMP_TYPE, int(w.pop(0))))
        elif k == 'code':
            sel.append(u8(S_ICMP_CODE, int(w.pop(0))))
        elif k == 'opaque':
            sel.append(flag(S_OPAQUE))
        elif k == 'name':
            sel.append(string(S_NAME, w.pop(0)))
        elif k == 'pfp':
            sel.append(u32(S_PFP, sum(PFP[x] for x in w.pop(0).split(','))))
        elif k == 'ipsec':
            ipsec.append(u8(I_PROTO, proto_num(w.pop(0))))
        elif k == 'mode':
            ipsec.append(u8(I_MODE, {'transport': 0, 'tunnel': 1}[w.pop(0)]))
        elif k == 'tunnel':
            ipsec.append(attr(I_TSRC, addr_bytes(w.pop(0))))
            ipsec.append(attr(I_TDST, addr_bytes(w.pop(0))))
        elif k == 'reqid':
            ipsec.append(u32(I_REQID, int(w.pop(0))))
        elif k == 'proposal':
            ipsec.append(string(I_PROPOSAL, w.pop(0)))
        else:
            raise ValueError(f'unknown keyword {k!r}')
    if sel:
        top.append(nest(P_SEL, *sel))
    if ipsec:
        top.append(nest(P_IPSEC, *ipsec))
    return nest(A_POLICY, *top)


def fmt_addr(a):
    if a is None:
        return 'any'
    s = parse_attrs(a)
    start = ipaddress.ip_address(first(s, AD_START))
    if AD_PLEN in s:
        return f'{start}/{first(s, AD_PLEN, "B")}'
    return f'{start}-{ipaddress.ip_address(first(s, AD_END))}'


def fmt_sel(sel):
    out = [f'src {fmt_addr(first(sel, S_SRC))}', f'dst {fmt_addr(first(sel, S_DST))}']
    if S_PROTO in sel:
        out.append(f'proto {first(sel, S_PROTO, "B")}')
    for lo, hi, n in ((S_SPMIN, S_SPMAX, 'sport'), (S_DPMIN, S_DPMAX, 'dport')):
        if lo in sel:
            out.append(f'{n} {first(sel, lo, "H")}-{first(sel, hi, "H")}')
    if S_ICMP_TYPE in sel:
        out.append(f'type {first(sel, S_ICMP_TYPE, "B")}')
    if S_ICMP_CODE in sel:
        out.append(f'code {first(sel, S_ICMP_CODE, "B")}')
    if S_OPAQUE in sel:
        out.append('opaque')
    if S_NAME in sel:
        out.append(f'name {first(sel, S_NAME)[:-1].decode()}')
    if S_PFP in sel:
        v = first(sel, S_PFP, 'I')
        out.append('pfp ' + ','.join(k for k, b in PFP.items() if v & b))
    return ' '.join(out)


def fmt_policy(p):
    sel = parse_attrs(first(p, P_SEL) or b'')
    st = parse_attrs(first(p, P_STATS) or b'')
    s = (f'id {first(p, P_ID, "I")} dir {DIRS[first(p, P_DIR, "B")]} '
         f'priority {first(p, P_PRIORITY, "I")} {fmt_sel(sel)} '
         f'action {ACTIONS[first(p, P_ACTION, "B")]}')
    if P_IPSEC in p:
        ip = parse_attrs(first(p, P_IPSEC))
        s += f' ipsec {first(ip, I_PROTO, "B")} mode {["transport", "tunnel"][first(ip, I_MODE, "B")]}'
        if I_TSRC in ip:
            s += (f' tunnel {ipaddress.ip_address(first(ip, I_TSRC))}'
                  f' {ipaddress.ip_address(first(ip, I_TDST))}')
        s += f' reqid {first(ip, I_REQID, "I")}'
    if P_STATS in p:
        s += f' packets {first(st, 2, "Q")}'
    return s


def main(argv):
    g = Genl()
    if argv[:1] == ['-f'] or argv[:2] == ['-n', '-f'] or argv[:1] == ['-n']:
        check = '-n' in argv
        path = [a for a in argv if a not in ('-n', '-f')][0]
        pols = []
        for line in open(path):
            line = line.split('#', 1)[0].split()
            if not line:
                continue
            assert line[:2] == ['policy', 'add'], line
            pols.append(policy_attrs(line[2:]))
        lists, cur = [], []
        for p in pols:
            if sum(map(len, cur)) + len(p) > 60000:
                lists.append(nest(A_POLICY_LIST, *cur))
                cur = []
            cur.append(p)
        lists.append(nest(A_POLICY_LIST, *cur))
        r = g.nfsec('POLICY_REPLACE', b''.join(lists) + (flag(A_CHECK_ONLY) if check else b''))
        print(f'{first(r[0][1], A_POLICY_COUNT, "I")} policies, generation '
              f'{first(r[0][1], A_GENERATION, "I")}')
        return 0
    if argv[:2] == ['policy', 'add']:
        r = g.nfsec('POLICY_NEW', policy_attrs(argv[2:]))
        print(first(parse_attrs(first(r[0][1], A_POLICY)), P_ID, 'I'))
    elif argv[:2] == ['policy', 'del']:
        assert argv[2] == 'id'
        g.nfsec('POLICY_DEL', nest(A_POLICY, u32(P_ID, int(argv[3]))))
    elif argv[:2] == ['policy', 'flush']:
        pl = nest(A_POLICY, u8(P_DIR, DIRS.index(argv[3]))) if len(argv) > 3 else b''
        g.nfsec('POLICY_FLUSH', pl)
    elif argv[:2] == ['policy', 'list']:
        pl = nest(A_POLICY, u8(P_DIR, DIRS.index(argv[3]))) if len(argv) > 3 else b''
        for fl, a in g.nfsec('POLICY_GET', pl, NLM_F_DUMP):
            print(fmt_policy(parse_attrs(first(a, A_POLICY))) +
                  (' INTR' if fl & NLM_F_DUMP_INTR else ''))
    elif argv[:2] == ['policy', 'lookup']:
        w, la = argv[2:], []
        while w:
            k, v = w.pop(0), w.pop(0)
            if k == 'dir':
                la.append(u8(L_DIR, DIRS.index(v)))
            elif k in ('src', 'dst'):
                la.append(attr(L_SRC if k == 'src' else L_DST, addr_bytes(v)))
            elif k == 'proto':
                la.append(u8(L_PROTO, proto_num(v)))
            elif k in ('sport', 'dport'):
                la.append(u16(L_SPORT if k == 'sport' else L_DPORT, int(v)))
        r = g.nfsec('POLICY_LOOKUP', nest(A_LOOKUP, *la))[0][1]
        lk = parse_attrs(first(r, A_LOOKUP))
        s = f'{ACTIONS[first(lk, L_RESULT, "B")]} {TABLES[first(lk, L_TABLE, "B")]}'
        if A_POLICY in r:
            s += ' ' + fmt_policy(parse_attrs(first(r, A_POLICY)))
        print(s)
    elif argv[:1] == ['stats']:
        st = parse_attrs(first(g.nfsec('STATS_GET')[0][1], A_STATS))
        for d in st.get(3, []):
            d = parse_attrs(d)
            n = DIRS[first(d, 3, 'B')]
            for i, k in enumerate(['bypass', 'discard', 'protect', 'nomatch']):
                print(f'{n}.{k} {first(d, 4 + i, "Q")}')
        for d in st.get(4, []):
            d = parse_attrs(d)
            print(f'drop.{DROPS[first(d, 3, "I")]} {first(d, 4, "Q")}')
        hits = misses = 0
        for c in st.get(5, []):
            c = parse_attrs(c)
            hits += first(c, 4, 'Q')
            misses += first(c, 5, 'Q')
        print(f'cache.hits {hits}\ncache.misses {misses}')
        for t, n, f in ((6, 'policies', 'I'), (7, 'generation', 'I'), (8, 'acquires', 'Q'),
                        (9, 'acquires_suppressed', 'Q'), (10, 'larval', 'I')):
            print(f'{n} {first(st, t, f)}')
    elif argv[:1] == ['monitor']:
        opts = dict(zip(argv[1::2], argv[2::2]))
        count, deadline = int(opts.get('count', 0)), time.time() + float(opts.get('timeout', 1e9))
        g.sock.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g.groups['events'])
        print('listening', flush=True)
        seen = 0
        while time.time() < deadline and (not count or seen < count):
            if not select.select([g.sock], [], [], 0.2)[0]:
                continue
            data = g.sock.recv(1 << 16)
            while data:
                ln = struct.unpack('I', data[:4])[0]
                body, data = data[16:ln], data[(ln + 3) & ~3:]
                a = parse_attrs(body[4:])
                if A_ACQUIRE not in a:
                    continue
                q = parse_attrs(first(a, A_ACQUIRE))
                print(f'acquire policy {first(q, 1, "I")} dir {DIRS[first(q, 2, "B")]} '
                      f'{fmt_sel(parse_attrs(first(q, 4)))} '
                      f'packet {ipaddress.ip_address(first(q, 6))} > '
                      f'{ipaddress.ip_address(first(q, 7))} proto {first(q, 8, "B")}',
                      flush=True)
                seen += 1
        return 0 if not count or seen >= count else 1
    else:
        print(__doc__ or 'usage: see the header of nfsec.py', file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv[1:]))
    except NlError as e:
        print(f'Error: {e}', file=sys.stderr)
        sys.exit(1)
