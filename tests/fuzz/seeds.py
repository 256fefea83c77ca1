#!/usr/bin/env python3
"""Write the hand-made seeds of the fuzz targets (the record formats are in
each fuzz_<target>.c) into their seed corpora, TARGET_seed_corpus.zip
(entries seed-NAME, stored). Run from anywhere: python3 tests/fuzz/seeds.py.
The fuzzers grow the rest of each corpus (scripts/fuzz --merge)."""
import os
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))


def write_zip(path, name, data):
    """Put entry seed-NAME into the zip at path (replacing one of that name)."""
    entries = {}
    if os.path.exists(path):
        with zipfile.ZipFile(path) as z:
            entries = {n: z.read(n) for n in z.namelist()}
    entries['seed-' + name] = bytes(data)
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_STORED) as z:
        for n in sorted(entries):
            z.writestr(zipfile.ZipInfo(n, (1980, 1, 1, 0, 0, 0)), entries[n])


def write(target, name, data):
    write_zip(os.path.join(HERE, target + '_seed_corpus.zip'), name, data)


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

def write_kcore(name, data):
    write_zip(os.path.join(HERE, '..', '..', 'kcore', 'fuzz', 'kcore_seed_corpus.zip'), name, data)


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
    write_kcore('lend-kind%d' % kind, base + ksend(1, kind) + ks(0, 11, [0]) +
          ks(0, 17, [0, 0, 1, 0, 0, 0, 0, 0]))
write_kcore('server-exit-holding', base + ksend(1, 1) + ks(0, 11, [0]) + [1, 0])
write_kcore('caller-exit-held', base + ksend(1, 5) + ks(0, 11, [0]) + [1, 1] +
      ks(0, 14, [0, 1, 2, 3, 4, 5, 6]))

# srv_NAME (tests/fuzz/fuzz_server.h): a record is op < 5, kind byte (4
# BlockingScalar, 1 Borrow, 0 MutableBorrow), caller byte (client b % 4, in
# the order first used: pids 3, 4, ...), opcode, then four scalar words
# (b < 0xc0: b % 64; 0xfe: a u32 follows) or a lend's mode byte (0: raw),
# a u16 length and the payload; op 7 ends a client.
import struct
SERVERS = os.path.join(HERE, '..', '..', 'servers')

def write_srv(server, name, data, home=None):
    home = home or os.path.join(SERVERS, server, 'fuzz')
    write_zip(os.path.join(home, 'srv_%s_seed_corpus.zip' % server), name, data)

def bs(pb, op, *words):
    out = [0, 4, pb, op]
    for w in (list(words) + [0, 0, 0, 0])[:4]:
        out += [w] if w < 64 else [0xfe] + list(struct.pack('<I', w))
    return out

def lent(kb, pb, op, raw):
    return [0, kb, pb, op, 0] + list(struct.pack('<H', len(raw))) + list(raw)

# srv_vm: even pids reach vm, odd ones ool (fuzz_srv_vm.c).
OOL_BUF = 0x40000000
write_srv('vm', 'alloc', bs(0, 1, 1, 0) + bs(0, 1, 2, 0x80001000) + bs(0, 1, 0, 0))
write_srv('vm', 'ool-round-trip',
          bs(1, 1, OOL_BUF, 32) +
          lent(1, 3, 2, struct.pack('<QQQ', 3, 0, 3) + b'abc') +
          lent(0, 1, 3, struct.pack('<QQQ', 5, OOL_BUF, 3)))
write_srv('vm', 'ool-sender-dies',
          bs(1, 1, OOL_BUF, 32) + lent(1, 3, 2, struct.pack('<QQQ', 3, 0, 3) + b'abc') +
          [7, 3] + lent(0, 1, 3, struct.pack('<QQQ', 5, OOL_BUF, 3)))
# srv_shm: create, map, close; a creator that is gone (pid 5, fuzz_srv_shm.c).
write_srv('shm', 'create-map-close', bs(0, 1, 4096) + bs(1, 2, 1) + bs(0, 3, 1) + bs(1, 2, 1))
write_srv('shm', 'creator-gone', bs(3, 1, 4096) + bs(1, 2, 1) + bs(1, 3, 1))
write_srv('shm_test', 'read', bs(0, 1) + bs(1, 7))
# srv_blk: plain requests (fuzz_srv_blk.c, 64 sectors): Read{sector, num_sectors},
# Write{sector, data}, Flush, GetCapacity.
def pb_varint(v):
    out = []
    while True:
        out.append((v & 0x7f) | (0x80 if v > 0x7f else 0))
        v >>= 7
        if not out[-1] & 0x80:
            return out
def blk_read(sector, n):
    return [0x08] + pb_varint(sector) + [0x10] + pb_varint(n)
def blk_write(sector, data):
    return [0x08] + pb_varint(sector) + [0x12] + pb_varint(len(data)) + list(data)
write_srv('blk', 'write-read-back', lent(0, 1, 1, blk_write(3, bytes(range(256)) * 2)) +
          lent(0, 1, 0, blk_read(3, 1)))
write_srv('blk', 'past-the-end', lent(0, 1, 0, blk_read(63, 2)) +
          lent(0, 2, 1, blk_write(64, bytes(512))) + lent(0, 1, 0, blk_read(2**64 - 1, 1)) +
          lent(0, 1, 1, blk_write(0, bytes(100))))
write_srv('blk', 'flush-capacity', lent(0, 1, 2, []) + lent(0, 1, 3, []) + lent(1, 3, 0, blk_read(0, 1)))

# srv_fs: byte 0 the volume (0 FAT12, 1 FAT16, 2 FAT32), byte 1 the patches
# {u16 sector, u16 offset, u8 value}, then records whose requests are built
# field by field (a byte with bit 0 set before each field given); the first
# handle is 513 (fuzz_srv_fs.c).
def field_str(s):
    return [1, 0x80 | len(s)] + list(s)
def field_word(w):
    return [1] + ([w] if w < 64 else [0xfe] + list(struct.pack('<I', w)))
def fs_call(op, fields):
    return [0, 0, 0, op, 1] + fields
NOFIELD = [0]
H = field_word(513)
for t, name in enumerate(('fat12', 'fat16', 'fat32')):
    write_srv('fs', name + '-create-write-read',
              [t, 0] + fs_call(1, field_str(b'/A long name.txt') + [1, 0]) +
              fs_call(4, H + field_word(5) + field_str(b'xyz')) +
              fs_call(3, H + field_word(0) + field_word(10)) +
              fs_call(10, H + field_word(2)) + fs_call(2, H))
    write_srv('fs', name + '-dirs',
              [t, 0] + fs_call(6, field_str(b'/d')) + fs_call(1, field_str(b'/d/f') + [1, 1]) +
              fs_call(7, field_str(b'/d') + NOFIELD + field_word(10)) +
              fs_call(9, field_str(b'/d/f') + field_str(b'/g')) +
              fs_call(8, field_str(b'/g')) + fs_call(5, field_str(b'/d')) + fs_call(11, []))
write_srv('fs', 'fat16-broken-boot', [1, 2, 0, 0, 11, 0, 0, 0, 0, 13, 0, 3] +
          fs_call(0, field_str(b'/x')))
write_srv('fs', 'fat32-broken-fat', [2, 1, 32, 0, 8, 0, 0x55] +
          fs_call(1, field_str(b'/f') + [0]) + fs_call(4, H + field_word(9000) + field_str(b'q')) +
          [7, 0] + fs_call(8, field_str(b'/f')))

# srv_doubler, the kit's example server (tests/install/kit): Twice(21) as a
# MutableBorrow, Twice of a value that overflows as a Borrow.
KIT = os.path.join(HERE, '..', 'install', 'kit')
def req(kb, pb, op, payload):  # mode 0x80: the payload is the packed request
    return [0, kb, pb, op, 0x80] + list(struct.pack('<H', len(payload))) + list(payload)
write_srv('doubler', 'twice', req(0, 0, 0, b'\x08\x15') +
          req(1, 1, 0, b'\x08' + b'\xff' * 9 + b'\x01'), KIT)

# srv_net: Tx Moves of Ethernet sizes and past them, Listen (sid words,
# opcode), Mac and Stats (fuzz_srv_net.c).
write_srv('net', 'tx-sizes', lent(2, 0, 0, b'\xff' * 14) + lent(2, 0, 0, b'\x01' * 1514) +
          lent(2, 0, 0, b'\x02' * 13) + lent(2, 0, 0, b'\x03' * 1515) + bs(0, 3))
write_srv('net', 'listen-mac-stats', lent(1, 0, 1, struct.pack('<5I', 1, 2, 3, 4, 9)) +
          lent(1, 1, 1, struct.pack('<5I', 5, 2, 3, 4, 6)) + bs(0, 2) + bs(1, 3) + [7, 2] +
          bs(0, 3))


# srv_ip: a first byte 0 and a second byte 0 feed frames (u16 length, bytes)
# to a stack holding 10.0.2.15 (fuzz_srv_ip.c); 1 runs the dispatch.
def csum(b):
    b += b'\0' * (len(b) % 2)
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff

MAC, PEER_MAC = bytes.fromhex('525400123456'), bytes.fromhex('02aabbccddee')
OURS, PEER = bytes([10, 0, 2, 15]), bytes([10, 0, 2, 2])

def ipv4(proto, payload, src=PEER, dst=OURS):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0, src, dst)
    h = h[:10] + struct.pack('!H', csum(h)) + h[12:]
    return MAC + PEER_MAC + b'\x08\x00' + h + payload

def icmp_echo(data):
    m = struct.pack('!BBHHH', 8, 0, 0, 1, 1) + data
    return ipv4(1, m[:2] + struct.pack('!H', csum(m)) + m[4:])

def udp(sport, dport, data, src=PEER, dst=OURS):
    pseudo = src + dst + struct.pack('!BBH', 0, 17, 8 + len(data))
    u = struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data
    return ipv4(17, u[:6] + struct.pack('!H', csum(pseudo + u)) + u[8:], src, dst)

def arp(op, spa, tpa):
    return (b'\xff' * 6 + PEER_MAC + b'\x08\x06' + struct.pack('!HHBBH', 1, 0x0800, 6, 4, op) +
            PEER_MAC + spa + b'\0' * 6 + tpa)

def frames(*fs):
    return [0, 0] + [b for f in fs for b in list(struct.pack('!H', len(f))) + list(f)]

write_srv('ip', 'ping', frames(icmp_echo(b'abcdefgh' * 4)))
write_srv('ip', 'udp-echo', frames(udp(40000, 7, b'hello'), udp(1, 9, b'x')))
write_srv('ip', 'arp', frames(arp(1, PEER, OURS), arp(2, bytes([10, 0, 2, 3]), OURS)))
bootp = bytearray(300)
bootp[0:3] = b'\x02\x01\x06'
bootp[16:20] = OURS
bootp[28:34] = MAC
bootp[236:240] = bytes.fromhex('63825363')
bootp[240:] = (bytes([53, 1, 2, 54, 4]) + PEER + bytes([1, 4, 255, 255, 255, 0, 51, 4, 0, 0, 14,
               16, 255])).ljust(60, b'\0')
write_srv('ip', 'dhcp-offer', [0, 1] + frames(udp(67, 68, bytes(bootp), PEER,
                                                  b'\xff' * 4))[2:])
write_srv('ip', 'dispatch', [1] + bs(0, 1) + lent(2, 0, 0, icmp_echo(b'x')) + bs(1, 2) +
          bs(1, 3) + bs(2, 4, 5) + [6, 0xff, 0xff])

# srv_hv: client 0 (pid 3) is the guest that client 1's launch starts
# (fuzz_srv_hv.c); exits are BlockingScalars (16 X64Start, 17 Halt, 18
# GuestPageFault, 19 IoportRead, 20 IoportWrite, 21 Await), 22 InjectIrq a
# Scalar from the launcher, 24 Exited a Scalar (kind byte 3, opcode u32).
def hv_launch_msg(mem, image):
    return lent(1, 1, 0, struct.pack('<Q', mem) + image)
def hv_scalar(pb, op, *words):
    return [0, 3, pb, 0xf0] + list(struct.pack('<I', op)) + bs(0, 0, *words)[4:]
def hv_out(port, size, value):
    return bs(0, 20, port, size, value)
HV_START = bs(0, 21) + hv_launch_msg(4 << 20, b'\xfa\xf4') + bs(0, 16)
write_srv('hv', 'guest', HV_START + hv_out(0x3f8, 1, ord('h')) + hv_out(0x3f8, 1, 10) +
          bs(0, 19, 0x3fd, 1) + hv_out(0x70, 1, 0) + bs(0, 19, 0x71, 1) +
          hv_out(0xcf8, 4, 0x80000800) + bs(0, 19, 0xcfc, 4) + hv_out(0xc012, 1, 3) +
          hv_out(0xc00e, 2, 0) + bs(0, 19, 0xc00c, 2) + hv_out(0xc008, 4, 0x200) +
          hv_out(0xc012, 1, 7) + hv_out(0xc010, 2, 0) + bs(0, 17, 0))
write_srv('hv', 'refused', bs(0, 19, 0x3f8, 1) + hv_launch_msg(0x1000, b'x') +
          lent(1, 1, 0, b'abc') + bs(2, 16) + hv_out(0x3f8, 8, 0))
write_srv('hv', 'end', HV_START + hv_scalar(1, 22, 3, 1 << 11) + bs(0, 17, 1) +
          bs(0, 18, 0xfee00000, 0x104, 1) + hv_scalar(2, 24, 3, 0) + hv_launch_msg(4 << 20, b'\x90') +
          [7, 0] + hv_scalar(2, 24, 3, 265))
