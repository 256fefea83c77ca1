#!/usr/bin/env python3
"""Write the hand-made seeds of the fuzz targets (the record formats are in
each fuzz_<target>.c). Run from anywhere: python3 tests/fuzz/seeds.py.
The fuzzers grow the rest of each corpus (scripts/fuzz --merge)."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(bytes(data))


# hostd_frames: op bytes and their fields (fuzz_hostd_frames.c).
HELLO = [0, 0]            # op 0, right key
READ = [5]
def syscall(peer, sel, words, extra=()):
    return [6, peer, sel] + list(words) + list(extra)
SID = [1, 2, 3, 0, 0, 0, 0]   # w1..w7: sid (1,2,3,0)
CREATE, CONNECT, SEND, RECEIVE, RETMEM, RET1 = 0, 2, 4, 6, 7, 8

def lend_round(kind):
    # B sends kind (1 MutBorrow, 2 Borrow, 3 Move, 4 Scalar, 5 BlockingScalar) on cid 1
    extra = [0, kind - 1] + ([0, 16, 0] if kind <= 3 else [])
    return (syscall(1, SEND, SID, extra) + READ + syscall(0, RECEIVE, SID) + READ +
            syscall(0, RETMEM if kind <= 2 else RET1, SID, [0]) + READ)

setup = HELLO + HELLO + READ + syscall(0, CREATE, SID) + syscall(1, CONNECT, SID) + READ
for kind in range(1, 6):
    write('hostd_frames', 'lend-kind%d' % kind, setup + lend_round(kind))
write('hostd_frames', 'server-dies-holding', setup + syscall(1, SEND, SID, [0, 0, 0, 16, 0]) +
      syscall(0, RECEIVE, SID) + READ + [3, 0] + READ)
write('hostd_frames', 'caller-dies-held', setup + syscall(1, SEND, SID, [0, 4]) +
      syscall(0, RECEIVE, SID) + READ + [3, 1] + syscall(0, RET1, SID, [0]) + READ)
write('hostd_frames', 'threads', HELLO + READ + [4, 0, 1] + [4, 0, 0] + READ + [3, 0])
write('hostd_frames', 'garbage', HELLO + [2, 0, 17] + [1, 0, 0x80, 1, 2, 3, 4] + READ)

# kcore: op 0 process create, 4..6 syscall (thread flag, thread sel, syscall sel, args).
P = [0]
def ks(thread, sel, args):
    return [4, 0x0f, thread] + [sel] + list(args)
SIDSEL = [3 | 0x80, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0]  # raw sid (1,2,3,0)
KSEND = 8
def ksend(thread, kind, flags=0):
    return ks(thread, KSEND, [1, kind, 7] + ([flags, 1, 0, 2] if kind <= 3 else [1, 2, 3, 4, 0]))
base = P + P + ks(0, 0, SIDSEL) + ks(1, 4, [0])  # pid 2 creates; pid 3 connects to pool sid 0
for kind in range(1, 6):
    write('kcore', 'lend-kind%d' % kind, base + ksend(1, kind) + ks(0, 11, [0]) +
          ks(0, 17, [0, 0, 1, 0, 0, 0, 0, 0]))
write('kcore', 'server-exit-holding', base + ksend(1, 1) + ks(0, 11, [0]) + [1, 0])
write('kcore', 'caller-exit-held', base + ksend(1, 5) + ks(0, 11, [0]) + [1, 1] +
      ks(0, 14, [0, 1, 2, 3, 4, 5, 6]))
