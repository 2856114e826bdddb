#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad requests are refused with a clear extack message and change nothing.
#
#   a (netns, nfsec loaded)   no traffic: the netlink API only
#
# ipsecctl refuses most of these before they reach the kernel, so this test
# speaks netlink itself (nfsec.py) to send exactly the bad attribute.
#
# (Not on the debug kernel in make check: sa/netlink.sh and fuzz/netlink.sh
# send the family bad input there.)
. "$(dirname "$0")/../lib.sh"

host_add a
nfsec_load
n a ipsecctl policy add dir out dst 10.0.0.0/8 action bypass >/dev/null
n a ipsecctl policy add dir in src fd00::/8 proto tcp dport 22 action discard >/dev/null

check "every bad request is refused, the SPD unchanged" \
	n a python3 - "$(dirname "$0")" <<'EOPY'
import errno, os, struct, subprocess, sys
sys.path.insert(0, sys.argv[1])
from nfsec import *

g = Genl()
def spd():
    return ([fmt_policy(parse_attrs(first(a, A_POLICY)))
             for _, a in g.nfsec('POLICY_GET', b'', NLM_F_DUMP)],
            first(parse_attrs(first(g.nfsec('STATS_GET')[0][1], A_STATS)), 7, 'I'))

before = spd()
v4 = bytes([10, 0, 0, 1])
v4b = bytes([10, 0, 0, 0])
ok = fails = 0

def refuse(desc, cmd, payload, want_err, want_msg):
    global ok, fails
    try:
        g.nfsec(cmd, payload)
        got = 'accepted'
    except NlError as e:
        got = e
        if e.errno == want_err and want_msg.lower() in e.msg.lower():
            now = spd()
            if now == before:
                ok += 1
                print(f'ok - {desc}: {e}')
                return
            got = f'{e}, but the SPD changed: {now}'
    fails += 1
    print(f'not ok - {desc}: want {os.strerror(want_err)} "{want_msg}", got {got}')

def pol(*attrs):
    return nest(A_POLICY, *attrs)

D, A = u8(P_DIR, 0), u8(P_ACTION, 0)
PROT = u8(P_ACTION, 2)
sel = lambda *a: nest(P_SEL, *a)
EINVAL, ERANGE = errno.EINVAL, errno.ERANGE

refuse('DIR out of range', 'POLICY_NEW', pol(u8(P_DIR, 3), A), ERANGE, 'out of range')
refuse('ACTION out of range', 'POLICY_NEW', pol(D, u8(P_ACTION, 9)), ERANGE, 'out of range')
refuse('DIR missing', 'POLICY_NEW', pol(A), EINVAL, 'without DIR')
refuse('ACTION missing', 'POLICY_NEW', pol(D), EINVAL, 'without ACTION')
refuse('POLICY missing', 'POLICY_NEW', b'', EINVAL, 'missing')
refuse('unknown attribute in a policy', 'POLICY_NEW', pol(D, A, u32(30, 1)), EINVAL, 'unknown attribute')
refuse('unknown attribute in a selector', 'POLICY_NEW', pol(D, A, sel(u32(40, 1))), EINVAL, 'unknown attribute')
refuse('unknown top-level attribute', 'POLICY_NEW', pol(D, A) + u32(200, 1), EINVAL, 'unknown attribute')
refuse('wrong attribute length (u16 DIR)', 'POLICY_NEW', pol(u16(P_DIR, 0), A), EINVAL, 'invalid attribute length')
refuse('a 5-byte address', 'POLICY_NEW',
       pol(D, A, sel(nest(S_DST, attr(AD_START, b'\x0a\0\0\0\0')))), EINVAL, '4 (IPv4) or 16')
refuse('IPv4 address in an AF_INET6 policy', 'POLICY_NEW',
       pol(D, A, u16(P_FAMILY, AF_INET6), sel(nest(S_DST, attr(AD_START, v4)))), EINVAL,
       'does not match the family')
refuse('IPv4 SRC with IPv6 DST', 'POLICY_NEW',
       pol(D, A, sel(nest(S_SRC, attr(AD_START, v4)),
                     nest(S_DST, attr(AD_START, bytes(16))))), EINVAL, 'does not match the family')
refuse('unknown family', 'POLICY_NEW', pol(D, A, u16(P_FAMILY, 7)), errno.EAFNOSUPPORT, 'family must be')
refuse('range START > END', 'POLICY_NEW',
       pol(D, A, sel(nest(S_SRC, attr(AD_START, v4), attr(AD_END, v4b)))), ERANGE, 'START is above END')
refuse('prefix and range at once', 'POLICY_NEW',
       pol(D, A, sel(nest(S_SRC, attr(AD_START, v4), attr(AD_END, v4), u8(AD_PLEN, 8)))), EINVAL,
       'prefix or a range')
refuse('IPv4 prefix length 33', 'POLICY_NEW',
       pol(D, A, sel(nest(S_SRC, attr(AD_START, v4), u8(AD_PLEN, 33)))), ERANGE, 'prefix length too long')
refuse('prefix length 129', 'POLICY_NEW',
       pol(D, A, sel(nest(S_SRC, attr(AD_START, bytes(16)), u8(AD_PLEN, 129)))), ERANGE, 'out of range')
refuse('ports without a protocol', 'POLICY_NEW', pol(D, A, sel(u16(S_DPMIN, 80))), EINVAL, 'ports need PROTO')
refuse('ports with ICMP', 'POLICY_NEW', pol(D, A, sel(u8(S_PROTO, 1), u16(S_DPMIN, 80))), EINVAL,
       'ports need PROTO')
refuse('port MIN > MAX', 'POLICY_NEW',
       pol(D, A, sel(u8(S_PROTO, 6), u16(S_DPMIN, 90), u16(S_DPMAX, 80))), ERANGE, 'MIN is above MAX')
refuse('ICMP type without ICMP', 'POLICY_NEW', pol(D, A, sel(u8(S_PROTO, 6), u8(S_ICMP_TYPE, 8))),
       EINVAL, 'ICMP type/code need')
refuse('ICMP code without a type', 'POLICY_NEW', pol(D, A, sel(u8(S_PROTO, 1), u8(S_ICMP_CODE, 0))),
       EINVAL, 'needs an ICMP type')
refuse('ICMPv6 in an IPv4 policy', 'POLICY_NEW',
       pol(D, A, sel(nest(S_DST, attr(AD_START, v4)), u8(S_PROTO, 58), u8(S_ICMP_TYPE, 128))),
       EINVAL, 'does not match the family')
refuse('OPAQUE with port ranges', 'POLICY_NEW',
       pol(D, A, sel(u8(S_PROTO, 17), u16(S_DPMIN, 53), flag(S_OPAQUE))), EINVAL, 'exclude each other')
refuse('unknown PFP bit', 'POLICY_NEW', pol(D, PROT, sel(u32(S_PFP, 1 << 7))), EINVAL, 'reserved bit')
refuse('PFP on a BYPASS policy', 'POLICY_NEW', pol(D, A, sel(u32(S_PFP, 1))), EINVAL, 'need ACTION protect')
refuse('NAME too long', 'POLICY_NEW', pol(D, A, sel(string(S_NAME, 'x' * 256))), ERANGE, '')
refuse('IPSEC on a BYPASS policy', 'POLICY_NEW', pol(D, A, nest(P_IPSEC, u8(I_PROTO, 50))), EINVAL,
       'need ACTION protect')
refuse('IPsec protocol TCP', 'POLICY_NEW', pol(D, PROT, nest(P_IPSEC, u8(I_PROTO, 6))),
       errno.EPROTONOSUPPORT, 'ESP (50) or AH (51)')
refuse('mode out of range', 'POLICY_NEW', pol(D, PROT, nest(P_IPSEC, u8(I_MODE, 2))), ERANGE, 'out of range')
refuse('tunnel mode with one endpoint', 'POLICY_NEW',
       pol(D, PROT, nest(P_IPSEC, u8(I_MODE, 1), attr(I_TSRC, v4))), EINVAL, 'both TUNNEL_SRC')
refuse('tunnel endpoints of two families', 'POLICY_NEW',
       pol(D, PROT, nest(P_IPSEC, u8(I_MODE, 1), attr(I_TSRC, v4), attr(I_TDST, bytes(16)))), EINVAL,
       'differ in family')
refuse('tunnel endpoints in transport mode', 'POLICY_NEW',
       pol(D, PROT, nest(P_IPSEC, u8(I_MODE, 0), attr(I_TSRC, v4), attr(I_TDST, v4))), EINVAL,
       'need tunnel mode')
refuse('an ID in POLICY_NEW', 'POLICY_NEW', pol(u32(P_ID, 5), D, A), EINVAL, 'assigned by the kernel')
refuse('STATS in a request', 'POLICY_NEW', pol(D, A, nest(P_STATS)), EINVAL, '')
refuse('DEL of a missing id', 'POLICY_DEL', pol(u32(P_ID, 999999)), errno.ENOENT, 'no policy')
refuse('DEL with more than an ID', 'POLICY_DEL', pol(u32(P_ID, 1), D), EINVAL, 'not accepted')
refuse('DEL id 0', 'POLICY_DEL', pol(u32(P_ID, 0)), ERANGE, 'out of range')
refuse('LOOKUP without DST', 'POLICY_LOOKUP',
       nest(A_LOOKUP, u8(L_DIR, 0), attr(L_SRC, v4)), EINVAL, 'DIR, SRC and DST')
refuse('LOOKUP with two families', 'POLICY_LOOKUP',
       nest(A_LOOKUP, u8(L_DIR, 0), attr(L_SRC, v4), attr(L_DST, bytes(16))), EINVAL, 'differ in family')
good = pol(D, A)
refuse('REPLACE with one bad policy among good ones', 'POLICY_REPLACE',
       nest(A_POLICY_LIST, good, good, pol(u8(P_DIR, 1)), good), EINVAL, 'without ACTION')
refuse('REPLACE with a foreign element', 'POLICY_REPLACE',
       nest(A_POLICY_LIST, good, nest(A_LOOKUP, D, A)), EINVAL, 'only POLICY')
# 65,537 minimal policies, in lists of at most 64 KiB each.
lists = [nest(A_POLICY_LIST, *[good] * 3000) for _ in range(21)]
lists.append(nest(A_POLICY_LIST, *[good] * (65537 - 63000)))
refuse('REPLACE larger than NFSEC_REPLACE_MAX', 'POLICY_REPLACE', b''.join(lists), errno.E2BIG,
       'NFSEC_REPLACE_MAX')

# CHECK_ONLY validates and changes nothing.
r = g.nfsec('POLICY_REPLACE', nest(A_POLICY_LIST, good, good) + flag(A_CHECK_ONLY))
if first(r[0][1], A_POLICY_COUNT, 'I') == 2 and spd() == before:
    ok += 1; print('ok - CHECK_ONLY counts and changes nothing')
else:
    fails += 1; print('not ok - CHECK_ONLY')

# Writes need CAP_NET_ADMIN; reads do not.
drop = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups',
        '--inh-caps=-all', '--bounding-set=-all', 'python3', os.path.join(sys.argv[1], 'nfsec.py')]
p = subprocess.run(drop + ['policy', 'add', 'dir', 'out', 'action', 'discard'],
                   capture_output=True, text=True)
if p.returncode != 0 and 'not permitted' in p.stderr and spd() == before:
    ok += 1; print(f'ok - an unprivileged write is refused: {p.stderr.strip()}')
else:
    fails += 1; print(f'not ok - unprivileged write: rc {p.returncode} {p.stderr}')
p = subprocess.run(drop + ['policy', 'list'], capture_output=True, text=True)
if p.returncode == 0 and len(p.stdout.splitlines()) == 2:
    ok += 1; print('ok - an unprivileged read works')
else:
    fails += 1; print(f'not ok - unprivileged read: rc {p.returncode} {p.stderr}')

print(f'{ok} refused correctly, {fails} wrong')
sys.exit(1 if fails else 0)
EOPY
check_eq "the SPD still has its two policies" 2 "$(n a ipsecctl -j policy list | wc -l)"
