#!/usr/bin/env bash
# Does the oracle catch a wrong walker?  Each run plants one bug in a scratch
# copy of ref/src/walk.c (ref/ itself is never touched), builds xpt-oracle
# against it and runs generated cases on the unchanged kernel: every planted
# bug must show up as unexplained disagreements.  The 5-level bugs run with
# --la57 (the kernel booted with 5-level paging).
# Usage: fuzz/oracle/planted.sh [build-dir] [cases]
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
cases=${2:-20000}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

plant() { # what, from, to, [xpt-oracle options]
	rm -rf "$scratch/ref" && cp -r ref "$scratch/ref"
	python3 - "$scratch/ref/src/walk.c" "$2" "$3" <<'PY'
import sys
p, a, b = sys.argv[1:]
s = open(p).read()
if a not in s:
    sys.exit("planted.sh: walk.c changed; update the bug: " + a)
open(p, "w").write(s.replace(a, b, 1))
PY
	gcc -std=c11 -D_GNU_SOURCE -O2 -I"$scratch/ref/include" -Ikernel/include -Ifuzz/oracle \
	    fuzz/oracle/*.c "$scratch"/ref/src/*.c -o "$scratch/oracle"
	n=$("$scratch/oracle" --kernel "$build/kernel/xpt-kernel.bin" ${4:-} --quiet --show 0 gen --cases "$cases" --seed 11 \
	    | sed -n 's/.*UNEXPLAINED \([0-9]*\).*/\1/p')
	printf '  %-40s %6s unexplained disagreements  %s\n' "$1" "$n" "$([ "$n" -gt 0 ] && echo caught || echo MISSED)"
	[ "$n" -gt 0 ]
}

echo "planted walker bugs, $cases generated cases each:"
fails=0
plant "PKRU write-disable ignored" \
	"return (access & XPT_ACC_WRITE) && wd && (user || (ctl->flags & XPT_CTL_WP));" "return false && wd;" || fails=1
plant "NX not reserved without EFER.NXE" "		rsvd |= XPT_PTE_NX;" "		rsvd |= 0;" || fails=1
plant "D bit never set" "	w->set_d = (access & XPT_ACC_WRITE) != 0;" "	w->set_d = false;" || fails=1
plant "SMEP ignored" "		return (upage && (ctl->flags & XPT_CTL_SMEP)) || nx;" "		return nx;" || fails=1
plant "W missing from the error code" \
	"	uint32_t ec = access & (XPT_ACC_WRITE | XPT_ACC_USER);" "	uint32_t ec = access & (XPT_ACC_USER);" || fails=1
plant "2 MiB leaf: bit 13 not reserved" "		rsvd |= xpt_bit_range(13, 21);" "		rsvd |= xpt_bit_range(14, 21);" || fails=1
plant "5-level: PS not reserved in a PML5E" "	if (level >= 4u) /* PML4E and PML5E */" \
	"	if (level == 4u) /* PML4E and PML5E */" --la57 || fails=1
plant "5-level: canonical check one bit wide" "la57 ? XPT_VA_BITS_LA57 : XPT_VA_BITS" \
	"la57 ? XPT_VA_BITS_LA57 + 1u : XPT_VA_BITS" --la57 || fails=1
[ $fails -eq 0 ] && echo PASS || { echo FAIL; exit 1; }
