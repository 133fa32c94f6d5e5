#!/usr/bin/env python3
"""Writes the seed corpus fuzz/corpus/diff: small scenarios in the byte
format fuzz/diff.c decodes (see the comment at its top).
Run it again after changing that format: python3 fuzz/diff_seeds.py
"""
import hashlib
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

WP, SMEP, SMAP, PKE, NXE, AC = 1, 2, 4, 8, 16, 32
LA57 = 64  # not a control bit: the case runs on 5-level paging
W, U, NX, G = 1, 2, 4, 8  # xpt_attr


def key(k):
    return k << 8


def page(g=0, m=0, k=0, p4=0):
    """Page number: 1 GiB index g (0..3), 2 MiB index m (0..7), 4 KiB index k (0..15);
    with 5 levels p4 picks the PML4 index (0, 1, 256, 511)."""
    return g | m << 2 | k << 5 | p4 << 9


def head(ctl, pkru=0):
    return struct.pack("<BI", ctl, pkru)


def map_(size, p, frame=0, attr=W | U):
    return struct.pack("<BBHHH", 0, size, p, frame, attr)


def unmap(p, opts=0):
    return struct.pack("<BHB", 1, p, opts)


def protect(p, attr):
    return struct.pack("<BHH", 2, p, attr)


def rng(which, p, npages, frame=0, attr=W | U, opts=0):
    return struct.pack("<BBHBHHB", 3, which, p, npages - 1, frame, attr, opts)


def raw(level, p, bit, setbit):
    return struct.pack("<BBHB", 4, level, p, bit | (0x40 if setbit else 0))


def raw_pte(p, frame, flags, nx=False, pkey=0):
    return struct.pack("<BHHHB", 5, p, frame, flags, int(nx) | pkey << 1)


def acc(p, where=1, write=False, user=False, fetch=False, rmw=False, noncanon=False):
    kind = int(write) | int(user) << 1 | int(fetch) << 2 | int(rmw) << 3 | int(noncanon) << 4
    return struct.pack("<BHH", 6 | kind << 3, p, where)


def every_kind(p, where=1, fetch_where=0):
    out = b""
    for user in (False, True):
        out += acc(p, where, user=user) + acc(p, where, write=True, user=user)
        out += acc(p, fetch_where, fetch=True, user=user)
    return out


POOL = 1 << 12  # `where` bit: add the pool's base (for 1 GiB leaves)

SEEDS = {
    "4k-rw-user-every-kind": head(WP | NXE) + map_(0, page(k=1), 3) + every_kind(page(k=1)),
    "4k-supervisor-smep-smap": head(WP | NXE | SMEP | SMAP) + map_(0, page(k=2), 5, W) + every_kind(page(k=2))
    + map_(0, page(k=3), 6, W | U) + every_kind(page(k=3)),
    "4k-smap-ac": head(WP | NXE | SMAP | AC) + map_(0, page(), 7, W | U) + every_kind(page()),
    "2m-readonly-user-wp0": head(NXE) + map_(1, page(m=1), 0, U) + every_kind(page(m=1), 2, 0x200),
    "1g-leaf-in-pool": head(WP | NXE) + map_(2, page(g=1), 0, W | U | NX) + every_kind(page(g=1), POOL | 3, POOL | 0x200),
    "pke-ad-wd": head(WP | NXE | PKE, 0b1100 << 4) + map_(0, page(k=4), 9, W | U | key(2))
    + map_(0, page(k=5), 10, W | U | key(3)) + every_kind(page(k=4)) + every_kind(page(k=5)),
    "reserved-address-bit-pte": head(WP | NXE) + map_(0, page(k=1), 1) + raw(3, page(k=1), 45, True) + every_kind(page(k=1)),
    "reserved-bit-every-level": head(WP | NXE) + map_(0, page(m=2, k=1), 1) + map_(0, page(g=2, k=1), 2)
    + raw(0, page(g=2, k=1), 7, True) + raw(1, page(m=2, k=1), 51, True) + acc(page(m=2, k=1)) + acc(page(g=2, k=1), user=True),
    "nx-without-nxe": head(WP) + map_(0, page(k=6), 4) + raw_pte(page(k=6), 4, 0x67, nx=True) + every_kind(page(k=6)),
    "not-present-pde": head(WP | NXE) + map_(0, page(m=3), 8) + raw(2, page(m=3), 0, False) + every_kind(page(m=3)),
    "unmap-then-access": head(WP | NXE) + map_(0, page(k=7), 11) + map_(0, page(k=8), 12) + unmap(page(k=7), 1)
    + acc(page(k=7)) + acc(page(k=8), write=True),
    "protect-readonly-rmw": head(WP | NXE) + map_(0, page(k=9), 13) + protect(page(k=9), U | NX)
    + acc(page(k=9), 2, write=True, user=True, rmw=True) + acc(page(k=9), 2, write=True, rmw=True)
    + acc(page(k=9), 0, fetch=True, user=True),
    "ranges": head(WP | NXE) + rng(0, page(m=4), 20, 40) + rng(2, page(m=4, k=2), 4, 0, U) + rng(1, page(m=4, k=8), 3)
    + acc(page(m=4, k=1), user=True, write=True) + acc(page(m=4, k=3), user=True, write=True)
    + acc(page(m=4, k=9)) + acc(page(m=4, k=12), 5),
    "ps-flip-pde": head(WP | NXE) + map_(0, page(m=5), 14) + raw(2, page(m=5), 7, True) + acc(page(m=5)) + acc(page(m=5), 3, user=True),
    "non-canonical": head(WP | NXE) + map_(0, page(k=10), 15) + acc(page(k=10), noncanon=True) + acc(page(k=10), 4, write=True, noncanon=True),
    "accessed-dirty": head(WP | NXE) + map_(0, page(k=11), 16) + raw(3, page(k=11), 5, True) + acc(page(k=11))
    + acc(page(k=11), write=True) + acc(page(k=11), 9, write=True, user=True),
}

# 5-level paging: the same kinds of case in a PML5 slot, raw writes at the
# PML5E (level 0) and the PML4E (level 1), non-canonical in 57 bits.
SEEDS.update({
    "la57-4k-every-kind": head(WP | NXE | LA57) + map_(0, page(k=1, p4=2), 3) + every_kind(page(k=1, p4=2)),
    "la57-2m-1g": head(WP | NXE | LA57) + map_(1, page(m=1, p4=1), 0, U) + map_(2, page(g=1, p4=3), 0, W | U | NX)
    + every_kind(page(m=1, p4=1), 2, 0x200) + every_kind(page(g=1, p4=3), POOL | 3, POOL | 0x200),
    "la57-reserved-bit-pml5e": head(WP | NXE | LA57) + map_(0, page(k=1), 1) + raw(0, page(k=1), 45, True)
    + acc(page(k=1)) + acc(page(k=1), write=True, user=True),
    "la57-ps-in-pml4e": head(WP | NXE | LA57) + map_(0, page(k=1), 1) + map_(0, page(k=2, p4=1), 2)
    + raw(1, page(k=2, p4=1), 7, True) + acc(page(k=1)) + acc(page(k=2, p4=1), user=True),
    "la57-not-present-pml4e": head(WP | NXE | LA57) + map_(0, page(k=3, p4=2), 4) + raw(1, page(k=3, p4=2), 0, False)
    + every_kind(page(k=3, p4=2)),
    "la57-non-canonical": head(WP | NXE | LA57) + map_(0, page(k=4), 5) + acc(page(k=4), noncanon=True)
    + acc(page(k=4), 4, write=True, noncanon=True) + acc(page(k=4), 8, user=True),
    "la57-ranges-smap-pke": head(WP | NXE | SMAP | PKE | LA57, 0b1100 << 4) + rng(0, page(m=4, p4=1), 20, 40, W | U | key(2))
    + rng(2, page(m=4, k=2, p4=1), 4, 0, U) + rng(1, page(m=4, k=8, p4=1), 3) + acc(page(m=4, k=1, p4=1), user=True, write=True)
    + acc(page(m=4, k=3, p4=1), user=True, write=True) + acc(page(m=4, k=9, p4=1)) + acc(page(m=4, k=12, p4=1), 5),
    "la57-accessed-dirty": head(WP | NXE | LA57) + map_(0, page(k=11, p4=3), 16) + raw(4, page(k=11, p4=3), 5, True)
    + acc(page(k=11, p4=3)) + acc(page(k=11, p4=3), write=True) + acc(page(k=11, p4=3), 9, write=True, user=True),
})


def main():
    out = os.path.join(HERE, "corpus", "diff")
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    print(f"{len(SEEDS)} seeds in {out}")


if __name__ == "__main__":
    main()
