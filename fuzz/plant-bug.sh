#!/usr/bin/env bash
# Plants a bug in the mapper of a scratch copy of the tree, builds the ops
# target there and shows that libFuzzer finds it within a time limit.
# Exits 0 only if every planted bug was found.
#
#   fuzz/plant-bug.sh [BUG...|all]  BUG: us (default), zero, flush, split-ad,
#                                   la57-canon, la57-cross, rsvd-table
#   PLANT_SECONDS=60                time allowed per bug
#
# us, zero, flush, la57-canon and rsvd-table are searched for from an empty corpus;
# split-ad needs a huge page, an access through it and a split, la57-cross
# a range across a 256 TiB boundary of a 5-level space: they start from
# the seeds.
#
#   us          intermediate table entries lack US (TABLE_FLAGS without US)
#   zero        a new table is not zeroed (it keeps what the frame held)
#   flush       unmapping or protecting a leaf does not record the flush
#   split-ad    splitting a huge page drops the A/D bits of its pieces
#   la57-canon  a 5-level space checks addresses against 48 bits, not 57
#   la57-cross  the cursor never leaves a PML4, so a range that crosses
#               into the next PML5 slot goes on in the old PML4
#   rsvd-table  the mapper follows a table entry with an address bit at or
#               above MAXPHYADDR (it refuses only PS in a PML4E or PML5E)
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
secs=${PLANT_SECONDS:-60}
bugs=("${@:-us}")
[ "${1:-}" = all ] && bugs=(us zero flush split-ad la57-canon la57-cross rsvd-table)

# Edit the mapper's sources (map.c, and format.h where entry formats live)
# with a perl substitution; fail when no pattern matches any more.
plant() { # BUG DIR
	local bug=$1 dir=$2 files=() code
	for f in map.c format.h; do [ -f "$dir/ref/src/$f" ] && files+=("$dir/ref/src/$f"); done
	case $bug in
	us) code='$n += s/(TABLE_FLAGS \(XPT_PTE_P \| XPT_PTE_RW) \| XPT_PTE_US\)/$1)/;
	          $n += s/(: XPT_PTE_P \| XPT_PTE_RW) \| XPT_PTE_US;/$1;/;' ;;
	zero) code='$n += s/(\t+)sp->mem.words\[xpt_slot\(t, i\)\] = 0;/$1(void)t;/;' ;;
	flush) code='$n += s/(\t+)record\(c, va, e\);/$1(void)e;/;' ;;
	split-ad) code='$n += s/uint64_t kept = e & [^;]*;/uint64_t kept = 0;/;' ;;
	la57-canon) code='$n += s/unsigned bits = xpt_space_va_bits\(sp\);/unsigned bits = XPT_VA_BITS;/;' ;;
	la57-cross) code='$n += s/(level = c->valid; level < )c->sp->levels;/$1XPT_LEVELS;/;' ;;
	rsvd-table) code='$n += s/if \(table_rsvd\(e, level, c->sp->maxphyaddr\)\)/if (level >= 4u && (e & XPT_PTE_PS))/;' ;;
	*) echo "plant-bug: unknown bug '$bug'" >&2; return 2 ;;
	esac
	perl -0pi -e "$code"' END { exit($n ? 0 : 1) }' "${files[@]}"
}

status=0
for bug in "${bugs[@]}"; do
	scratch=$(mktemp -d /tmp/xpt-planted-XXXXXX)
	# The tree as it is in the work tree (tracked files and this fuzz/ dir).
	(cd "$top" && git ls-files -z --cached --others --exclude-standard | grep -zv '^build/' |
		xargs -0 cp --parents -t "$scratch" 2>/dev/null)
	if ! plant "$bug" "$scratch"; then
		echo "plant-bug: $bug: the code to change is not in ref/src/ any more; update fuzz/plant-bug.sh"
		status=1
		continue
	fi
	echo "plant-bug: $bug planted: $(diff -r "$top/ref/src" "$scratch/ref/src" | grep '^[<>]' | tr -s '\t ' ' ' | tr '\n' ' ')"
	if ! make -C "$scratch" --no-print-directory -s BUILD="$scratch/build" "$scratch/build/fuzz/lf-ops" >"$scratch/build.log" 2>&1; then
		echo "plant-bug: $bug: build failed:"; tail -20 "$scratch/build.log"; status=1; continue
	fi
	mkdir -p "$scratch/corpus" "$scratch/art"
	start=$(date +%s)
	seeds=() from="an empty corpus"
	case $bug in split-ad|la57-cross) seeds=("$scratch/fuzz/corpus/ops") from="the seed corpus" ;; esac
	(cd "$scratch" && ASAN_OPTIONS=detect_leaks=0 ./build/fuzz/lf-ops -max_total_time="$secs" \
		-artifact_prefix="$scratch/art/" corpus "${seeds[@]}" >"$scratch/fuzz.log" 2>&1)
	took=$(( $(date +%s) - start ))
	msg=$(grep -m1 'invariant violated' "$scratch/fuzz.log")
	if [ -n "$msg" ]; then
		echo "plant-bug: $bug FOUND in ${took}s, from $from:"
		echo "  $msg"
		echo "  reproducer (base64): $(base64 -w0 "$(ls "$scratch"/art/crash-* | head -1)")"
		[ -n "${PLANT_KEEP:-}" ] || rm -rf "$scratch"
	else
		echo "plant-bug: $bug NOT found in ${secs}s (log: $scratch/fuzz.log)"
		status=1
	fi
done
exit $status
