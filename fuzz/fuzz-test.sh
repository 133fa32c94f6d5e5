#!/usr/bin/env bash
# The fuzz step of `make test`: replay the committed corpora and regression
# traces under the sanitizer replay driver, then run each harness under
# libFuzzer for a few seconds (all targets side by side).  Fails on any finding.
# Usage: fuzz/fuzz-test.sh BUILD_DIR SECONDS TARGET...
set -uo pipefail

fzb=$1 secs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=0}
fail=0

for t in "$@"; do
	dirs=("$here/corpus/$t")
	[ -d "$here/regressions/$t" ] && dirs+=("$here/regressions/$t")
	if ! "$fzb/replay-$t" "${dirs[@]}" >"$fzb/replay-$t.log" 2>&1; then
		echo "fuzz-test: $t: a committed input violates an invariant:"
		tail -20 "$fzb/replay-$t.log"
		fail=1
	else
		echo "fuzz-test: $t: $(tail -1 "$fzb/replay-$t.log") (corpus and regressions)"
	fi
done

pids=()
for t in "$@"; do
	scratch=$(mktemp -d)
	mkdir -p "$fzb/findings/test-$t"
	"$fzb/lf-$t" -max_total_time="$secs" -print_final_stats=1 \
		-artifact_prefix="$fzb/findings/test-$t/" "$scratch" "$here/corpus/$t" \
		>"$fzb/fuzz-test-$t.log" 2>&1 &
	pids+=("$!:$t:$scratch")
done
for p in "${pids[@]}"; do
	IFS=: read -r pid t scratch <<<"$p"
	if wait "$pid"; then
		eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$fzb/fuzz-test-$t.log")
		runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$fzb/fuzz-test-$t.log")
		echo "fuzz-test: $t: libFuzzer ${secs}s, $runs execs ($eps/s), no finding"
	else
		echo "fuzz-test: $t: libFuzzer FOUND something:"
		grep -E 'invariant|disagree|ERROR|SUMMARY|Test unit written' "$fzb/fuzz-test-$t.log" | head -10
		fail=1
	fi
	rm -rf "$scratch"
done

if [ "$fail" -ne 0 ]; then
	echo "fuzz-test: FAILED"
	exit 1
fi
echo "fuzz-test: passed"
