#!/usr/bin/env bash
# Time-boxed campaign of every target under libFuzzer and AFL++.
# Usage: fuzz/run-fuzz.sh BUILD_DIR SECONDS TARGET...
# Both engines of a target run side by side (one core each); the table at
# the end gives execs/s, coverage and findings.  Exit 1 if anything was found.
set -uo pipefail

fzb=$1 secs=$2
shift 2
targets=("$@")
here=$(cd "$(dirname "$0")" && pwd)
export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_QUIET=1
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=0}
export DIFF_ARTIFACT_DIR=${DIFF_ARTIFACT_DIR:-$fzb/findings} # diff: the input behind a disagreement

rows=()
found=0
for t in "${targets[@]}"; do
	lfc=$fzb/corpus/lf-$t lfa=$fzb/findings/lf-$t/ afo=$fzb/afl-out/$t
	mkdir -p "$lfc" "$lfa" "$fzb/afl-out"
	rm -rf "$afo"
	echo "fuzz: $t: libFuzzer and AFL++ for ${secs}s each"
	"$fzb/lf-$t" -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$lfa" \
		"$lfc" "$here/corpus/$t" >"$fzb/lf-$t.log" 2>&1 &
	lfpid=$!
	# diff boots QEMU once every DIFF_BATCH inputs, inside one of them
	aflt=1000; [ "$t" = diff ] && aflt=30000
	env -u ASAN_OPTIONS afl-fuzz -i "$here/corpus/$t" -o "$afo" -V "$secs" -t "$aflt" -- "$fzb/afl-$t" \
		>"$fzb/afl-$t.log" 2>&1 &
	aflpid=$!
	wait $lfpid; lfrc=$?
	wait $aflpid; aflrc=$?

	# libFuzzer: the last status line has cov, ft and exec/s.
	last=$(grep -E '^#[0-9]+' "$fzb/lf-$t.log" | tail -1)
	lf_execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$fzb/lf-$t.log")
	lf_eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$fzb/lf-$t.log")
	lf_cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	lf_ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	lf_find=$(find "$lfa" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
	[ "$lfrc" -eq 0 ] || [ "$lf_find" -gt 0 ] || lf_find="?(exit:$lfrc)"
	rows+=("$t libFuzzer ${lf_eps:-?} ${lf_execs:-?} cov=${lf_cov:-?},ft=${lf_ft:-?} $lf_find")

	# AFL++: fuzzer_stats.
	st=$afo/default/fuzzer_stats
	get() { sed -n "s/^$1 *: *//p" "$st" 2>/dev/null; }
	a_done=$(get execs_done) a_time=$(get run_time)
	a_eps=$( [ -n "$a_done" ] && [ "${a_time:-0}" -gt 0 ] && echo $((a_done / a_time)) )
	a_edges="$(get edges_found)/$(get total_edges)"
	a_find=$(find "$afo/default/crashes" "$afo/default/hangs" -type f -name 'id:*' 2>/dev/null | wc -l)
	[ "$aflrc" -eq 0 ] || [ -f "$st" ] || a_find="?(exit:$aflrc)"
	rows+=("$t AFL++ ${a_eps:-?} ${a_done:-?} edges=$a_edges $a_find")

	for f in $(find "$lfa" -maxdepth 1 -type f -name 'crash-*' 2>/dev/null) \
	         $(find "$afo/default/crashes" -type f -name 'id:*' 2>/dev/null); do
		echo "fuzz: FINDING ($t): $f"
		echo "      replay: $fzb/replay-$t '$f'"
		found=1
	done
	[ "$lf_find" = 0 ] && [ "$a_find" = 0 ] || found=1
done

echo
printf '%-6s %-10s %10s %12s %-22s %s\n' target engine execs/s execs coverage findings
for r in "${rows[@]}"; do
	# shellcheck disable=SC2086
	printf '%-6s %-10s %10s %12s %-22s %s\n' $r
done
echo "(libFuzzer: ASan+UBSan, cov = edges of ref/src and instrumented harness code, ft = features;"
echo " AFL++: no sanitizers, edges found / instrumented; logs in $fzb/*.log)"
if [ "$found" -ne 0 ]; then
	echo "fuzz: findings above; minimize with -minimize_crash=1, add to fuzz/regressions/<target>/ and fuzz/FINDINGS.md"
	exit 1
fi
echo "fuzz: no findings"
