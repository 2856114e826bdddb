#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Objects owned by a socket (uapi/linux/nfsec.h, "Objects owned by a
# socket"): SAs and policies added with the OWNED flag go when the socket
# that added them closes, and nothing else does. Run by netlink.sh in a
# namespace of its own. Usage: owned.py DIR-OF-nfsec.py
import errno
import struct
import sys

sys.path.insert(0, sys.argv[1])
from nfsec import *  # noqa: E402,F403

SA_F_OWNED, P_FLAGS, POLICY_F_OWNED = 8, 9, 1
V4S, V4D = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
KEY = bytes(range(20))
ok = fails = 0


def verdict(good, desc):
    global ok, fails
    ok, fails = ok + good, fails + (not good)
    print(f'{"ok" if good else "not ok"} - {desc}')


def sa_id(spi):
    return [u32(SA_SPI, spi), u8(SA_PROTO, 50), u16(SA_FAMILY, AF_INET), attr(SA_DST, V4D)]


def sa_new(g, spi, owned):
    g.nfsec('SA_NEW', nest(A_SA, *sa_id(spi), u8(SA_MODE, 0), u8(SA_DIR, 0),
                           attr(SA_SRC, V4S),
                           nest(SA_AEAD, string(ALG_NAME, 'rfc4106(gcm(aes))'),
                                attr(ALG_KEY, KEY), u32(ALG_ICV_BITS, 128)),
                           *([u32(SA_FLAGS, SA_F_OWNED)] if owned else [])))


def policy_new(g, port, owned):
    pol = policy_attrs(['dir', 'out', 'proto', 'udp', 'dport', str(port), 'action', 'bypass'])
    if owned:
        pol = nest(A_POLICY, *split_nest(pol), u32(P_FLAGS, POLICY_F_OWNED))
    g.nfsec('POLICY_NEW', pol)


def split_nest(n):
    """The attributes inside one nest, as bytes."""
    out, body = [], n[4:]
    while body:
        ln = struct.unpack('H', body[:2])[0]
        out.append(body[:(ln + 3) & ~3])
        body = body[(ln + 3) & ~3:]
    return out


def sas(g):
    """{SPI: flags} of the SAD."""
    out = {}
    for _, a in g.nfsec('SA_GET', b'', NLM_F_DUMP):
        s = parse_attrs(first(a, A_SA))
        out[first(s, SA_SPI, 'I')] = first(s, SA_FLAGS, 'I') or 0
    return out


def policies(g):
    """{UDP dport: flags} of the SPD."""
    out = {}
    for _, a in g.nfsec('POLICY_GET', b'', NLM_F_DUMP):
        p = parse_attrs(first(a, A_POLICY))
        sel = parse_attrs(first(p, P_SEL) or b'')
        out[first(sel, S_DPMIN, 'H')] = first(p, P_FLAGS, 'I') or 0
    return out


observer = Genl()
owner = Genl()
sa_new(owner, 0x4001, True)
sa_new(owner, 0x4002, False)
policy_new(owner, 4001, True)
policy_new(owner, 4002, False)
s, p = sas(observer), policies(observer)
verdict(s.get(0x4001) == SA_F_OWNED and s.get(0x4002) == 0,
        f'dumps report the owned SA and only it: {s}')
verdict(p.get(4001) == POLICY_F_OWNED and p.get(4002) == 0,
        f'dumps report the owned policy and only it: {p}')

try:
    observer.nfsec('POLICY_REPLACE', nest(A_POLICY_LIST, nest(
        A_POLICY, *split_nest(policy_attrs(['dir', 'in', 'action', 'bypass'])),
        u32(P_FLAGS, POLICY_F_OWNED))))
    verdict(False, 'REPLACE with an owned policy is refused: accepted')
except NlError as e:
    verdict(e.errno == errno.EINVAL and 'owned' in e.msg,
            f'REPLACE with an owned policy is refused: {e}')
verdict(policies(observer) == p, 'and the SPD is unchanged')

# An update from another socket does not take the SA over.
mover = Genl()
mover.nfsec('SA_UPDATE', nest(A_SA, *sa_id(0x4001)) +
            nest(A_SA_PATH, u16(PATH_FAMILY, AF_INET), attr(PATH_SRC, bytes([192, 0, 2, 9])),
                 attr(PATH_DST, V4D)))
mover.sock.close()
verdict(0x4001 in sas(observer), 'an SA updated by another socket stays when that one closes')

owner.sock.close()
s, p = sas(observer), policies(observer)
verdict(0x4001 not in s and 0x4002 in s, f'the owner closed: its SA went, the other stayed: {s}')
verdict(4001 not in p and 4002 in p, f'the owner closed: its policy went, the other stayed: {p}')

# A socket that owned nothing closing changes nothing.
observer.sock.close()
last = Genl()
verdict(sas(last) == s and policies(last) == p, 'a socket that owned nothing closed: nothing went')

# Many owned objects (more than one batch of the SPD's flush) from one
# socket, and one from another that must survive it.
many, other = Genl(), Genl()
for i in range(40):
    policy_new(many, 5000 + i, True)
    sa_new(many, 0x5000 + i, True)
policy_new(other, 6000, True)
many.sock.close()
s, p = sas(last), policies(last)
verdict(not any(0x5000 <= k < 0x5028 for k in s) and not any(5000 <= k < 5040 for k in p),
        '40 owned SAs and policies went with their socket')
verdict(p.get(6000) == POLICY_F_OWNED, "another socket's owned policy stayed")
other.sock.close()
verdict(6000 not in policies(last), 'and went with its own socket')

last.nfsec('SA_DEL', nest(A_SA, *sa_id(0x4002)))
last.nfsec('POLICY_FLUSH')
print(f'# {ok} passed, {fails} failed')
sys.exit(1 if fails else 0)
