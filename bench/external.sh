#!/usr/bin/env bash
# Rows of the benchmark table that come from other make targets:
#   - the oracle kernel's cases per second   (make qemu, parsed "N cases/s")
#   - the fuzz harnesses' execs per second    (make fuzz, parsed "exec/s: N" and the like)
#   - the wall time of make prove             (skip with BENCH_SKIP_PROVE=1)
# A target that does not exist yet gives a row "n/a (not built)"; nothing is
# estimated or made up.  Writes to $1:
#   op;size;median;spread;unit;vs;ratio      one table row
#   target;what;value;verdict                one line of the targets list
# Knobs: BENCH_EXT_REPS (runs of qemu and fuzz, default 3), BENCH_FUZZ_REPS,
# BENCH_FUZZ_SECONDS (per target, default 10), BENCH_QEMU_TIMEOUT (s, default
# 120), BENCH_FUZZ_TIMEOUT (s, default 600), BENCH_PROVE_TIMEOUT (s, default
# 300), BENCH_SKIP_PROVE=1, BENCH_SKIP_EXT=1 (skip all three).
set -uo pipefail

out=${1:?usage: external.sh OUTFILE}
make_cmd=${MAKE:-make}
reps=${BENCH_EXT_REPS:-3}
logdir=$(dirname "$out")/bench-ext-logs
mkdir -p "$logdir"
: >"$out"

# Fields are separated by ';', so none may hold one.
row() { local f=() x; for x in "$@"; do f+=("${x//;/,}"); done; printf '%s;%s;%s;%s;%s;%s;%s\n' "${f[@]}" >>"$out"; }
target() { local f=() x; for x in "$@"; do f+=("${x//;/,}"); done; printf 'target;%s;%s;%s\n' "${f[@]}" >>"$out"; }

# Does the root Makefile (with its fragments) define this target?
has_target() {
	"$make_cmd" --no-print-directory -n "$1" >/dev/null 2>&1
}

# median and min..max of numbers on stdin, one per line
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) exit 1
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.6g %.6g..%.6g %d\n", m, v[1], v[NR], NR }'
}

if [ "${BENCH_SKIP_EXT:-0}" = 1 ]; then
	row "oracle cases (make qemu)" "-" "skipped (BENCH_SKIP_EXT=1)" "-" "cases/s" "-" "-"
	row "fuzz harness execs (make fuzz)" "-" "skipped (BENCH_SKIP_EXT=1)" "-" "execs/s" "-" "-"
	row "make prove wall time" "-" "skipped (BENCH_SKIP_EXT=1)" "-" "s" "-" "-"
	target "oracle >= 100,000 cases/s" "-" "n/a (skipped)"
	target "make prove under 2 minutes" "-" "n/a (skipped)"
	exit 0
fi

# ------------------------------------------------------------- make prove
if [ "${BENCH_SKIP_PROVE:-0}" = 1 ]; then
	row "make prove wall time" "-" "skipped (BENCH_SKIP_PROVE=1)" "-" "s" "-" "-"
	target "make prove under 2 minutes" "-" "n/a (skipped: BENCH_SKIP_PROVE=1)"
elif [ ! -f proofs/proofs.mk ] || ! has_target prove; then
	row "make prove wall time" "-" "n/a (not built)" "-" "s" "-" "-"
	target "make prove under 2 minutes" "-" "n/a (no proofs/proofs.mk)"
else
	limit=${BENCH_PROVE_TIMEOUT:-300}
	echo "bench: timing make prove (at most ${limit} s; BENCH_SKIP_PROVE=1 skips it)" >&2
	t0=$(date +%s.%N)
	timeout "$limit" "$make_cmd" --no-print-directory prove >"$logdir/prove.log" 2>&1
	rc=$?
	t1=$(date +%s.%N)
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
	if [ $rc -eq 124 ]; then
		row "make prove wall time (stopped at the timeout)" "-" ">$limit" "1 run" "s" "120 s target" "-"
		target "make prove under 2 minutes" ">${limit} s" "MISS"
	elif [ $rc -ne 0 ]; then
		row "make prove wall time (make prove FAILED, see $logdir/prove.log)" "-" "$secs" "1 run" "s" "120 s target" "-"
		target "make prove under 2 minutes" "${secs} s (failed)" "MISS"
	else
		ratio=$(awk -v s="$secs" 'BEGIN { printf "%.2fx", s / 120 }')
		verdict=$(awk -v s="$secs" 'BEGIN { print (s < 120) ? "pass" : "MISS" }')
		row "make prove wall time" "-" "$secs" "1 run" "s" "120 s target" "$ratio"
		target "make prove under 2 minutes" "${secs} s" "$verdict"
	fi
fi

# ----------------------------------------------------------- oracle (qemu)
if [ ! -f kernel/kernel.mk ] || ! has_target qemu; then
	row "oracle cases (make qemu)" "-" "n/a (not built)" "-" "cases/s" "-" "-"
	target "oracle >= 100,000 cases/s" "-" "n/a (no kernel/kernel.mk)"
else
	: >"$logdir/qemu.rates"
	failed=0
	for i in $(seq "$reps"); do
		timeout "${BENCH_QEMU_TIMEOUT:-120}" "$make_cmd" --no-print-directory qemu \
			>"$logdir/qemu.$i.log" 2>&1 || failed=$((failed + 1))
		grep -oiE '[0-9][0-9,]*(\.[0-9]+)?[[:space:]]*(cases/s|cases/sec|cases per second)' \
			"$logdir/qemu.$i.log" | tail -n 1 | tr -d ',' | grep -oE '^[0-9.]+' \
			>>"$logdir/qemu.rates"
	done
	if s=$(stats <"$logdir/qemu.rates"); then
		read -r med spread n <<<"$s"
		ratio=$(awk -v m="$med" 'BEGIN { printf "%.2fx", m / 100000 }')
		verdict=$(awk -v m="$med" 'BEGIN { print (m >= 100000) ? "pass" : "MISS" }')
		row "oracle cases (make qemu), $n runs" "-" "$med" "$spread" "cases/s" "100000 target" "$ratio"
		target "oracle >= 100,000 cases/s" "$med/s" "$verdict"
	elif [ "$failed" -gt 0 ]; then
		row "oracle cases (make qemu)" "-" "n/a (make qemu failed)" "-" "cases/s" "-" "-"
		target "oracle >= 100,000 cases/s" "-" "n/a (make qemu failed: $logdir/qemu.1.log)"
	else
		row "oracle cases (make qemu)" "-" "n/a (no cases/s printed)" "-" "cases/s" "-" "-"
		target "oracle >= 100,000 cases/s" "-" "n/a (make qemu printed no rate: $logdir)"
	fi
fi

# ------------------------------------------------------------------- fuzz
# make fuzz runs every target under libFuzzer and AFL++ for FUZZ_SECONDS and
# ends with a table "target engine execs/s execs coverage findings"; one row
# per target and engine here.  Without that table, the last libFuzzer
# "exec/s: N" (or AFL++ "execs_per_sec : N") printed is taken instead.
if [ ! -f fuzz/fuzz.mk ] || ! has_target fuzz; then
	row "fuzz harness execs (make fuzz)" "-" "n/a (not built)" "-" "execs/s" "-" "-"
else
	secs=${BENCH_FUZZ_SECONDS:-10}
	freps=${BENCH_FUZZ_REPS:-$reps}
	rm -f "$logdir"/fuzz.*.rates "$logdir/fuzz.any"
	failed=0
	for i in $(seq "$freps"); do
		echo "bench: make fuzz FUZZ_SECONDS=$secs (run $i of $freps)" >&2
		timeout "${BENCH_FUZZ_TIMEOUT:-600}" "$make_cmd" --no-print-directory fuzz \
			FUZZ_SECONDS="$secs" >"$logdir/fuzz.$i.log" 2>&1
		rc=$?
		# exit 1 = findings (the table is still printed); anything else without a table failed
		awk '$2 == "libFuzzer" || $2 == "AFL++" { print $1 "_" $2, $3 }' \
			"$logdir/fuzz.$i.log" | while read -r key rate; do
			if [[ $rate =~ ^[0-9.]+$ ]]; then
				echo "$rate" >>"$logdir/fuzz.$key.rates"
			else
				: >>"$logdir/fuzz.$key.rates" # printed without a rate: that engine failed
			fi
		done
		grep -oE '(exec/s:[[:space:]]*[0-9.]+|execs_per_sec[[:space:]]*:[[:space:]]*[0-9.]+)' \
			"$logdir/fuzz.$i.log" | grep -oE '[0-9]+(\.[0-9]+)?$' | tail -n 1 >>"$logdir/fuzz.any"
		[ $rc -gt 1 ] && failed=$((failed + 1))
	done
	shopt -s nullglob
	tables=("$logdir"/fuzz.*.rates)
	if [ ${#tables[@]} -gt 0 ]; then
		for f in "${tables[@]}"; do
			key=$(basename "$f" .rates)
			key=${key#fuzz.}
			engine=${key#*_}
			what="ASan+UBSan"
			[ "$engine" = "AFL++" ] && what="no sanitizer"
			if s=$(stats <"$f"); then
				read -r med spread n <<<"$s"
				row "fuzz execs: ${key%%_*} under $engine ($what), $n runs of ${secs} s" "-" "$med" "$spread" "execs/s" "-" "-"
			else
				row "fuzz execs: ${key%%_*} under $engine ($what)" "-" "n/a (engine failed, no rate printed)" "-" "execs/s" "-" "-"
			fi
		done
	elif s=$(stats <"$logdir/fuzz.any"); then
		read -r med spread n <<<"$s"
		row "fuzz harness execs (make fuzz), $n runs" "-" "$med" "$spread" "execs/s" "-" "-"
	elif [ "$failed" -gt 0 ]; then
		row "fuzz harness execs (make fuzz)" "-" "n/a (make fuzz failed)" "-" "execs/s" "-" "-"
	else
		row "fuzz harness execs (make fuzz)" "-" "n/a (no execs/s printed)" "-" "execs/s" "-" "-"
	fi
fi
exit 0
