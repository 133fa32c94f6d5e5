#!/usr/bin/env python3
"""Writes the seed corpora fuzz/corpus/ops and fuzz/corpus/walk.

Each seed is a small, meaningful scenario in the byte format the harness
decodes (see the comments in fuzz/ops.c and fuzz/walk.c).  Run it again
after changing a format: python3 fuzz/seeds.py
"""
import hashlib
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

# ----------------------------------------------------------------- ops

I1 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 16, 255, 256, 508, 509, 510, 511]


I5 = [0, 1, 2, 255, 256, 257, 510, 511]


def va(i4=0, i3=0, i2=0, i1=0, mode=0, i5=0):
    """16-bit VA selector: index choices per level (i1 is a position in I1,
    i5 in I5; the PML5 index counts in 5-level spaces only)."""
    return i4 | i3 << 2 | i2 << 4 | i1 << 6 | mode << 10 | i5 << 12


def special_va(k):
    return 3 << 10 | k << 12


def pa_owned(k=0):
    return 0 | k << 2


def pa_frame(f):
    return 1 | f << 2


def pa_2m(n):
    return 2 | n << 3


def pa_1g(n):
    return 2 | 4 | n << 3


def pa_special(k):
    return 3 | k << 2


W, U, NX, G = 1, 2, 4, 8


def attr(flags=W, cache=0, pkey=0, soft=0):
    return flags | cache << 4 | pkey << 8 | soft << 12


def eattr(w=True, nx=False, mt=0, x86=None):
    """EPT attribute selector: mt picks WB UC WC WT WP WB WB, 7 a reserved
    type; x86 (0..3: USER GLOBAL key SOFT) an attribute EPT refuses."""
    a = int(w) | int(nx) << 2 | mt << 4
    if x86 is not None:
        a |= 0x8080 | x86 << 10
    return a


def u16(x):
    return struct.pack("<H", x & 0xFFFF)


LA57, EPT = 1, 2  # format byte


def header(size=0, hole=False, wx=False, phys=0, tail=False, big=False, ctl=0, pkru=0, h3=0, fmt=None):
    """fmt: a format byte (LA57, EPT, | 0x1c for the large window); it
    follows the header when h0 has bit 7 without size 3."""
    if big:
        size = 3
    h0 = size | hole << 2 | wx << 3 | phys << 4 | tail << 6 | big << 7
    if fmt is None:
        return bytes([h0, ctl, pkru, h3])
    assert not big and size != 3
    return bytes([h0 | 0x80, ctl, pkru, h3, fmt])


def op_alloc(big=False):
    return bytes([0 | big << 4 | 0 << 5])


def op_alloc_huge(big=False, gig=False):
    return bytes([0 | big << 4 | 2 << 5, 1 if gig else 0])


def op_free_owned(k=0, big=False):
    return bytes([0 | big << 4 | 3 << 5]) + u16(k)


def op_free_any(f, big=False):
    return bytes([0 | big << 4 | 4 << 5]) + u16(f)


def op_free_huge(x, big=False, gig=False):
    return bytes([0 | big << 4 | 5 << 5 | gig]) + u16(x)


def op_reserve(x, y):
    return bytes([0 | 6 << 5]) + u16(x) + u16(y)


def op_colour(x, big=False):
    return bytes([0 | big << 4 | 7 << 5, x])


def op_map(v, p, a, size=0, align=True):
    return bytes([2 | size << 4 | align << 6]) + u16(v) + u16(p) + u16(a)


def op_map_range(v, p, length, a, opts=0):
    return bytes([3]) + u16(v) + u16(p) + bytes([length]) + u16(a) + bytes([opts])


def op_unmap(v, opts=0):
    return bytes([5]) + u16(v) + bytes([opts])


def op_unmap_range(v, length, opts=0):
    return bytes([6]) + u16(v) + bytes([length, opts])


def op_protect(v, a):
    return bytes([8]) + u16(v) + u16(a)


def op_protect_range(v, length, a, opts=0):
    return bytes([9]) + u16(v) + bytes([length]) + u16(a) + bytes([opts])


def op_probe(v):
    return bytes([10]) + u16(v)


def op_flush():
    return bytes([11])


def op_access(v, kind=0, off=0):
    return bytes([12 | kind << 4]) + u16(v) + bytes([off])


def op_cr3():
    return bytes([14])


def op_poison(table, index, call, a, p=0, bit=0, ps=False):
    """Plant a reserved bit in the first present table entry of the
    table'th table (walk order) from index on, for one call (0 map,
    1 map_range, 2 unmap_range, 3 unmap, 4 protect_range, 5 protect,
    6 translate), then restore it."""
    return bytes([0xFE]) + u16(table | index << 7) + u16(a) + u16(p) + bytes([bit | ps << 3 | call << 4])


def op_destroy_lower():
    return bytes([0xFF])


def pages(n):  # length byte: n pages, 1..64
    return (n - 1) << 2


def around_2m(delta):  # 2 MiB + delta pages, -32..+32
    return 1 | (delta + 32 if delta < 0 else delta + 31) << 2


def mult_2m(n, gigs=0):
    return 2 | ((n - 1) | gigs << 3) << 2


def len_special(k):
    return 3 | k << 2


FT, SPLIT, NO1G, NO2M = 1, 2, 4, 8

OPS = {
    "map-one-4k": header() + op_map(va(i1=1), pa_frame(5), attr(W | U)) + op_access(va(i1=1), 1),
    "map-unmap-flush": header() + op_map(va(i1=2), pa_frame(9), attr(W)) + op_access(va(i1=2))
    + op_unmap(va(i1=2)) + op_access(va(i1=2)) + op_flush() + op_access(va(i1=2)),
    "map-2m": header(big=True) + op_map(va(mode=1, i2=1), pa_2m(3), attr(W | NX), size=1)
    + op_access(va(mode=1, i2=1), 0) + op_probe(va(i2=1, i1=5)),
    "map-1g": header() + op_map(va(mode=2, i3=1), pa_1g(2), attr(U), size=2)
    + op_access(va(mode=2, i3=1), 2),
    "map-exists": header() + op_map(va(i1=3), pa_frame(3), attr()) + op_map(va(i1=3), pa_frame(4), attr()),
    "map-range-mixed": header() + op_map_range(va(i1=10), pa_frame(10), around_2m(+3), attr(W))
    + op_probe(va(i2=1)),
    "map-range-no2m": header() + op_map_range(va(mode=1), pa_2m(1), mult_2m(2), attr(W), NO2M),
    "map-range-1g": header() + op_map_range(va(mode=2, i3=1), pa_1g(1), len_special(1), attr(NX)),
    "unmap-range-split": header() + op_map(va(mode=1, i2=1), pa_2m(4), attr(W), size=1)
    + op_access(va(mode=1, i2=1), 1) + op_unmap_range(va(i2=1, i1=3), pages(2), SPLIT)
    + op_access(va(i2=1, i1=4)) + op_flush() + op_access(va(i2=1, i1=3)),
    "unmap-range-huge-err": header() + op_map(va(mode=1, i2=1), pa_2m(4), attr(W), size=1)
    + op_unmap_range(va(i2=1, i1=3), pages(2)),
    "unmap-free-tables": header() + op_map_range(va(i1=4), pa_frame(4), pages(8), attr(W))
    + op_unmap_range(va(i1=4), pages(8), FT) + op_flush(),
    "unmap-split-1g": header() + op_map(va(mode=2, i3=2), pa_1g(3), attr(W), size=2)
    + op_unmap(va(i3=2, i2=1, i1=9), SPLIT) + op_flush(),
    "protect-one": header() + op_map(va(i1=6), pa_frame(6), attr(W | U)) + op_access(va(i1=6), 3)
    + op_protect(va(i1=6), attr(U)) + op_access(va(i1=6), 3) + op_flush() + op_access(va(i1=6), 3),
    "protect-range-split": header() + op_map(va(mode=1), pa_2m(2), attr(W), size=1)
    + op_protect_range(va(i1=2), pages(4), attr(NX), SPLIT) + op_flush(),
    "protect-range-hole": header() + op_map(va(i1=1), pa_frame(1), attr()) + op_protect_range(va(i1=1), pages(3), attr(W)),
    "wx-policy": header(wx=True) + op_map(va(i1=1), pa_frame(1), attr(W)) + op_map(va(i1=1), pa_frame(1), attr(W | NX)),
    "nomem": header(size=0) + b"".join(op_map(va(i4=k & 1, i3=(k >> 1) & 3, i2=(k >> 3) & 3), pa_frame(k), attr()) for k in range(32)),
    "frames": header() + op_alloc() + op_alloc() + op_free_owned(0) + op_free_any(0) + op_free_any(4000)
    + op_alloc() + op_reserve(2, 0x0004),
    "frames-huge": header(big=True) + op_alloc_huge() + op_free_huge(0) + op_alloc_huge() + op_alloc(),
    "frames-big": header() + op_alloc(big=True) + op_alloc_huge(big=True, gig=True) + op_alloc_huge(big=True)
    + op_free_owned(1, big=True) + op_free_huge(2, big=True, gig=True),
    "frames-colour": header() + op_colour(0x2B) + op_colour(0x0A) + op_colour(0x83) + op_colour(0x80)
    + op_colour(0x1B, big=True) + op_map(va(i1=1), pa_owned(0), attr(W)),
    "memmap": header(hole=True, tail=True) + bytes([3, 0, 120, 1, 10, 6, 2, 3, 9, 7, 40, 4, 0x11])
    + op_alloc() + op_map_range(va(), pa_owned(0), pages(4), attr(W)),
    "reserve-busy": header() + op_alloc() + op_reserve(0, 0x0040) + op_reserve(30, 0x0010),
    "hole-map": header(hole=True, h3=0x35, tail=True) + op_alloc() + op_map(va(i1=1), pa_owned(0), attr(W)),
    "upper-half": header() + op_map(va(i4=2, i1=0), pa_frame(2), attr(W | G)) + op_map(va(i4=3, i3=3, i2=3, i1=15), pa_frame(3), attr())
    + op_access(va(i4=3, i3=3, i2=3, i1=15)),
    "noncanonical": header() + op_map(special_va(0), pa_frame(1), attr()) + op_probe(special_va(0))
    + op_map_range(special_va(1), pa_frame(1), pages(2), attr()),
    "unaligned": header() + op_map(special_va(4), pa_frame(1), attr()) + op_map(va(i1=1), pa_special(4), attr(), align=False),
    "phys-limit": header(phys=2) + op_map(va(i1=1), pa_special(3), attr()) + op_map(va(i1=2), pa_special(0), attr()),
    "pkeys": header(ctl=0x08, pkru=0x0C) + op_map(va(i1=1), pa_frame(1), attr(W | U, pkey=1)) + op_access(va(i1=1), 3),
    "smap-smep": header(ctl=0x06) + op_map(va(i1=1), pa_frame(1), attr(W | U)) + op_access(va(i1=1), 0) + op_access(va(i1=1), 4),
    "tlb-stale-many": header() + b"".join(op_map(va(i1=k), pa_frame(k), attr(W)) + op_access(va(i1=k)) for k in range(8))
    + op_unmap_range(va(i1=0), pages(8)) + b"".join(op_access(va(i1=k)) for k in range(8)) + op_flush(),
    "flush-overflow": header(big=True) + op_map_range(va(), pa_frame(1), pages(40), attr(W)) + op_protect_range(va(), pages(40), attr()) + op_flush(),
    "destroy-lower": header() + op_map(va(i1=1), pa_frame(1), attr()) + op_map(va(i4=2), pa_frame(2), attr()) + op_destroy_lower() + op_probe(va(i4=2)),
    "cr3-reload": header(ctl=0x80) + op_map(va(i1=1), pa_frame(1), attr(W | G)) + op_access(va(i1=1)) + op_cr3() + op_unmap(va(i1=1)) + op_access(va(i1=1)) + op_flush(),
    "cache-soft": header() + op_map(va(mode=1), pa_2m(1), attr(W, cache=5, soft=3), size=1) + op_map(va(i1=1, i2=1), pa_frame(1), attr(W, cache=7, soft=5)),
    "table-in-way": header() + op_map(va(i2=1, i1=1), pa_frame(1), attr()) + op_unmap(va(i2=1, i1=1)) + op_map(va(mode=1, i2=1), pa_2m(1), attr(), size=1)
    + op_map_range(va(mode=1, i2=1), pa_2m(1), mult_2m(1), attr()),
    "poison-table-entries": header(phys=1) + op_map(va(i1=1), pa_frame(1), attr(W)) + op_map(va(i4=2), pa_frame(2), attr(W))
    + b"".join(op_poison(t, 0, c, attr(W | NX), pa_frame(3), bit=c) for t in range(3) for c in range(7))
    + op_poison(0, 0, 3, 0, ps=True) + op_poison(0, 300, 6, 0, ps=True) + op_poison(1, 0, 0, attr(W), pa_frame(1))
    + op_access(va(i1=1), 1) + op_unmap(va(i1=1)) + op_flush() + op_access(va(i4=2)),
}

# 5-level spaces: PML5 slots 1, 2, 256 (the upper half) and 511, addresses
# canonical in 57 bits and not in 48, ranges across a PML5 boundary.
H5 = header(fmt=LA57)
EDGE5 = dict(i5=1, i4=3, i3=3, i2=3, mode=1)  # 2 MiB below the end of PML5 slot 1

OPS.update({
    "la57-map-slots": H5 + op_map(va(i5=1, i1=1), pa_frame(1), attr(W | U)) + op_map(va(i5=4, i1=2), pa_frame(2), attr(W | G))
    + op_map(va(i5=7, i4=3, i3=3, i2=3, i1=15), pa_frame(3), attr()) + op_map(special_va(9), pa_frame(4), attr(W))
    + op_access(va(i5=1, i1=1), 3) + op_access(special_va(9), 1) + op_access(va(i5=4, i1=2))
    + op_probe(special_va(13)) + op_probe(special_va(14)),
    "la57-noncanonical": H5 + op_map(special_va(0), pa_frame(1), attr()) + op_probe(special_va(0))
    + op_map_range(special_va(1), pa_frame(1), pages(2), attr()) + op_access(special_va(11))
    + op_map(special_va(1), pa_frame(1), attr()) + op_access(special_va(1), 2),
    "la57-range-across-pml5": H5 + op_map_range(va(**EDGE5), pa_frame(8), around_2m(+3), attr(W), NO2M)
    + op_access(va(**EDGE5)) + op_access(va(i5=2, i1=1), 1) + op_probe(va(i5=2, i1=2))
    + op_unmap_range(va(**EDGE5), around_2m(+3), FT) + op_flush() + op_access(va(i5=2, i1=1)),
    "la57-1g-upper": header(fmt=LA57 | 0x1c) + op_map(va(i5=4, i3=1, mode=2), pa_1g(2), attr(W), size=2)
    + op_access(va(i5=4, i3=1, mode=2), 1) + op_unmap(va(i5=4, i3=1, i2=1, i1=9), SPLIT) + op_flush()
    + op_access(va(i5=4, i3=1, i2=1, i1=9)),
    "la57-destroy-lower": H5 + op_map(va(i5=1, i1=1), pa_frame(1), attr()) + op_map(va(i5=4), pa_frame(2), attr())
    + op_map(va(i4=2), pa_frame(3), attr()) + op_destroy_lower() + op_probe(va(i5=4)) + op_probe(va(i5=1, i1=1)),
    "la57-tlb-stale": H5 + op_map(va(i5=1, i1=6), pa_frame(6), attr(W | U)) + op_access(va(i5=1, i1=6), 3)
    + op_protect(va(i5=1, i1=6), attr(U)) + op_access(va(i5=1, i1=6), 3) + op_flush() + op_access(va(i5=1, i1=6), 3),
    "la57-poison": header(phys=2, fmt=LA57) + op_map(va(i5=1, i1=1), pa_frame(1), attr(W))
    + b"".join(op_poison(t, 0, c, attr(W), pa_frame(2), bit=c, ps=t < 2 and c > 3) for t in range(4) for c in (0, 2, 3, 5, 6)),
})

# EPT spaces: guest-physical addresses, R/W/X and a memory type per leaf,
# accesses through the harness's guest-physical TLB.
HE = header(fmt=EPT)
R, WR, FE = 0, 1, 4  # access kinds: read, write, fetch

OPS.update({
    "ept-map-kinds": HE + op_map(va(i1=1), pa_frame(5), eattr()) + op_access(va(i1=1), R) + op_access(va(i1=1), WR)
    + op_access(va(i1=1), FE) + op_map(va(i1=2), pa_frame(6), eattr(w=False, nx=True)) + op_access(va(i1=2), WR)
    + op_access(va(i1=2), FE) + op_access(va(i1=3)),
    "ept-memtypes": HE + b"".join(op_map(va(i1=k), pa_frame(k), eattr(mt=k)) for k in range(1, 8))
    + op_protect(va(i1=1), eattr(mt=7)) + op_protect_range(va(i1=2), pages(2), eattr(mt=4)),
    "ept-x86-attributes": HE + b"".join(op_map(va(i1=k + 1), pa_frame(1), eattr(x86=k)) for k in range(4))
    + op_map(va(i1=1), pa_frame(1), eattr() | 0xC080),
    "ept-protect-write": HE + op_map(va(i1=4), pa_frame(4), eattr()) + op_access(va(i1=4), WR)
    + op_protect(va(i1=4), eattr(w=False)) + op_access(va(i1=4), R) + op_access(va(i1=4), WR) + op_flush()
    + op_access(va(i1=4), WR),
    "ept-stale": HE + b"".join(op_map(va(i1=k), pa_frame(k), eattr()) + op_access(va(i1=k)) for k in range(6))
    + op_unmap_range(va(i1=0), pages(6)) + b"".join(op_access(va(i1=k)) for k in range(6)) + op_flush()
    + op_access(va(i1=2)),
    "ept-huge-split": header(fmt=EPT | 0x1c) + op_map(va(mode=1, i2=1), pa_2m(4), eattr(), size=1)
    + op_access(va(mode=1, i2=1), WR) + op_unmap_range(va(i2=1, i1=3), pages(2), SPLIT) + op_access(va(i2=1, i1=4))
    + op_flush() + op_map(va(mode=2, i3=1), pa_1g(1), eattr(nx=True), size=2) + op_protect_range(va(i3=1, i1=1), pages(1), eattr(w=False), SPLIT),
    "ept-address-width": HE + op_map(special_va(3), pa_frame(3), eattr()) + op_probe(special_va(3))
    + op_map(special_va(0), pa_frame(1), eattr()) + op_map_range(special_va(1), pa_frame(1), pages(2), eattr())
    + op_map(special_va(1), pa_frame(2), eattr()) + op_probe(special_va(2)) + op_unmap(special_va(2))
    + op_protect(special_va(2), eattr()) + op_access(special_va(1), WR),
    "ept-destroy-lower": HE + op_map(va(i1=1), pa_frame(1), eattr()) + op_map(va(i4=2), pa_frame(2), eattr())
    + op_destroy_lower() + op_probe(va(i4=2)) + op_probe(va(i1=1)),
    "ept-poison": header(phys=3, fmt=EPT) + op_map(va(i1=1), pa_frame(1), eattr())
    + b"".join(op_poison(t, 0, c, eattr(), pa_frame(2), bit=c, ps=t == 0 and c == 6) for t in range(3) for c in range(7)),
    "ept-wx-policy": header(wx=True, fmt=EPT) + op_map(va(i1=1), pa_frame(1), eattr()) + op_map(va(i1=1), pa_frame(1), eattr(nx=True)),
})

# ---------------------------------------------------------------- walk

IDX = [0, 1, 2, 3, 5, 7, 64, 128, 255, 256, 257, 300, 508, 509, 510, 511]

P, RW, US, A, D, PS, NXB = 1, 2, 4, 0x20, 0x40, 0x80, 1 << 63


def wctl(flags=0x10, pkru=0, m=52, nframes=8, cr3frame=0):
    return struct.pack("<H", flags) + struct.pack("<I", pkru) + bytes([m - 36, (nframes - 1) | cr3frame << 4])


def wentry(frame, idxpos, value):
    return bytes([frame | idxpos << 3]) + struct.pack("<Q", value & (2**64 - 1))


def waccess(kind, l5=0, l4=0, l3=0, l2=0, l1=0, canon=0, off=0):
    v = l5 | l4 << 4 | l3 << 8 | l2 << 12 | l1 << 16 | canon << 20
    return bytes([kind | off << 4]) + struct.pack("<I", v)[:3]


def chain(flags_top=P | RW | US, leaf_flags=P | RW | US, leaf_level=1, leaf_pa=0x5000):
    """PML4 in frame 0 -> PDPT 1 -> PD 2 -> PT 3, all at index position 0."""
    es = [wentry(0, 0, 0x1000 | flags_top)]
    if leaf_level == 3:
        return es + [wentry(1, 0, leaf_pa | leaf_flags | PS)]
    es.append(wentry(1, 0, 0x2000 | flags_top))
    if leaf_level == 2:
        return es + [wentry(2, 0, leaf_pa | leaf_flags | PS)]
    es.append(wentry(2, 0, 0x3000 | flags_top))
    return es + [wentry(3, 0, leaf_pa | leaf_flags)]


def walk_seed(ctl, entries, accesses):
    return ctl + bytes([len(entries)]) + b"".join(entries) + b"".join(accesses)


ALL_KINDS = [waccess(k) for k in range(16)]

WALK = {
    "chain-4k-all-kinds": walk_seed(wctl(), chain(), ALL_KINDS),
    "chain-2m": walk_seed(wctl(), chain(leaf_level=2, leaf_pa=0x200000), ALL_KINDS),
    "chain-1g-gbpages": walk_seed(wctl(0x50), chain(leaf_level=3, leaf_pa=0x40000000), ALL_KINDS),
    "chain-1g-no-gbpages": walk_seed(wctl(0x10), chain(leaf_level=3, leaf_pa=0x40000000), ALL_KINDS),
    "rsvd-2m-bit13": walk_seed(wctl(), chain(leaf_level=2, leaf_pa=0x202000), ALL_KINDS[:4]),
    "rsvd-maxphy": walk_seed(wctl(m=36), chain(leaf_pa=1 << 40), ALL_KINDS[:4]),
    "nx-without-nxe": walk_seed(wctl(0x00), chain(leaf_flags=P | RW | NXB), ALL_KINDS[:8]),
    "nx-with-nxe": walk_seed(wctl(0x10), chain(leaf_flags=P | RW | US | NXB), ALL_KINDS),
    "ro-wp": walk_seed(wctl(0x11), chain(leaf_flags=P | US), ALL_KINDS),
    "supervisor-page": walk_seed(wctl(0x10), chain(leaf_flags=P | RW), ALL_KINDS),
    "smep-smap": walk_seed(wctl(0x16), chain(), ALL_KINDS),
    "smap-ac": walk_seed(wctl(0x36), chain(), ALL_KINDS),
    "pkeys-ad": walk_seed(wctl(0x18, pkru=0x4), chain(leaf_flags=P | RW | US | (1 << 59)), ALL_KINDS),
    "pkeys-wd-wp": walk_seed(wctl(0x19, pkru=0x8), chain(leaf_flags=P | RW | US | (1 << 59)), ALL_KINDS),
    "ps-in-pml4": walk_seed(wctl(), [wentry(0, 0, 0x1000 | P | RW | PS)], ALL_KINDS[:2]),
    "not-present-mid": walk_seed(wctl(), chain()[:2], ALL_KINDS[:4]),
    "window": walk_seed(wctl(nframes=2), chain(), ALL_KINDS[:2]),
    "cr3-frame": walk_seed(wctl(cr3frame=4), [wentry(4, 0, 0x1000 | P | RW | US)] + chain()[1:], ALL_KINDS[:4]),
    "noncanonical": walk_seed(wctl(), chain(), [waccess(0, canon=6), waccess(2, canon=7, l4=9)]),
    "upper-half": walk_seed(wctl(), [wentry(0, 9, 0x1000 | P | RW | US), wentry(1, 0, 0x80000000 | P | RW | PS)],
                            [waccess(0, l4=9), waccess(3, l4=9)]),
    "self-map": walk_seed(wctl(), [wentry(0, 0, 0x0000 | P | RW | US)], [waccess(0), waccess(1)]),
    "la57": walk_seed(wctl(0x210), [wentry(0, 0, 0x1000 | P | RW | US)] + chain()[0:0] + [
        wentry(1, 0, 0x2000 | P | RW | US), wentry(2, 0, 0x3000 | P | RW | US), wentry(3, 0, 0x4000 | P | RW | US),
        wentry(4, 0, 0x6000 | P | RW | US)], ALL_KINDS[:4]),
    "ad-bits": walk_seed(wctl(), chain(flags_top=P | RW | US | A, leaf_flags=P | RW | US | A | D), [waccess(1), waccess(0)]),
}


def write(kind, seeds):
    d = os.path.join(HERE, "corpus", kind)
    os.makedirs(d, exist_ok=True)
    for name in os.listdir(d):
        if name.startswith("seed-"):
            os.remove(os.path.join(d, name))
    for name, data in seeds.items():
        with open(os.path.join(d, "seed-" + name), "wb") as f:
            f.write(data)
    print(f"{d}: {len(seeds)} seeds")


if __name__ == "__main__":
    write("ops", OPS)
    write("walk", WALK)
    sys.exit(0)
