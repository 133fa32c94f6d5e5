#!/usr/bin/env bash
# Frama-C WP over the files of PROVE_FILES, with the prover list fixed here.
# Prints "proved X / Y", writes the JSON report to proofs/report.json and
# exits non-zero when any goal is not proved.
#   PROVE_FILES   files to prove (default: the files whose contracts exist)
#   PROVE_TIMEOUT seconds per goal and prover (default 10)
set -uo pipefail
cd "$(dirname "$0")/.."
files=${PROVE_FILES:-ref/src/walk.c}
timeout=${PROVE_TIMEOUT:-20}
provers=z3,cvc4 # Alt-Ergo and cvc5 are not available with Debian 12's Why3
log=build/prove.log
mkdir -p build
start=$(date +%s)
echo "prove: WP on $files, provers $provers, timeout ${timeout}s, 2 in parallel"
frama-c -cpp-extra-args="-Iref/include -include proofs/frama.h" $files \
	-wp -wp-rte -wp-prover "$provers" -wp-par 2 -wp-timeout "$timeout" -wp-auto wp:split,wp:bitrange,wp:bittestrange,wp:bitshift \
	-wp-report-json proofs/report.json >"$log" 2>&1 &
pid=$!
# Progress every PROGRESS seconds (default 20): goals done of goals scheduled.
while kill -0 "$pid" 2>/dev/null; do
	sleep "${PROGRESS:-20}" & wait "$!"
	kill -0 "$pid" 2>/dev/null || break
	done_goals=$(grep -c '^\[wp\] \[[^]]*\] Goal ' "$log")
	total_goals=$(sed -n 's/^\[wp\] \([0-9]*\) goals scheduled/\1/p' "$log" | tail -1)
	echo "prove: $done_goals of ${total_goals:-?} goals after $(( $(date +%s) - start )) s"
done
wait "$pid"
status=$?
line=$(sed -n 's/^\[wp\] Proved goals: *//p' "$log" | tail -1)
grep -E '^\[wp\] \[(Failed|Timeout|Unknown)\]' -A2 "$log" | grep 'Goal' | sed 's/^/  not proved: /' | head -40
echo "proved ${line:-0 / ?} in $(( $(date +%s) - start )) s (log: $log)"
proved=${line%% /*} total=${line##*/ }
[ "$status" -eq 0 ] && [ -n "$line" ] && [ "$proved" = "$total" ]
