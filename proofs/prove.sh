#!/usr/bin/env bash
# Frama-C WP over the files of proofs/scope, with the prover list fixed here.
# Prints "proved X / Y", writes a JSON report a file to proofs/report/ and
# exits non-zero when any goal is not proved.
#
# Goals the provers cannot close alone are proved by WP tactics (case
# splits, bit ranges); the tactic steps found once are kept as proof
# scripts in proofs/wp/script/ and replayed, each step's subgoals proved
# again by Z3 or CVC4.  No verdict is cached: -wp-cache none.
#   PROVE_SCOPE    the scope file (default proofs/scope)
#   PROVE_FILES    files to prove whole (default: the lines of the scope)
#   PROVE_EXCLUDE  files whose lines of the scope are left out
#   PROVE_SLOW     "no": leave out the lines of the scope marked "slow"
#   PROVE_TIMEOUT  seconds per goal and prover (default 10)
#   PROVE_SCRIPTS  "replay" (default): run the scripts, and the provers alone
#                  for goals without one;
#                  "update": search with tactics where a goal fails and save
#                  what is found (after changing a contract)
#   PROVE_DEPTH    depth of that search (default 5)
#   PROVE_FCT      only these functions (WP's -wp-fct), for work on one of them
#   PROVE_PAR      provers run in parallel by each WP run (default 2)
#   PROVE_JOBS     WP runs (lines of the scope) at once (default 1); WP's
#                  simplifier works on one goal at a time in each run, so two
#                  runs of PROVE_PAR=1 keep two cores busier than one of 2
#   PROVE_SKIP     leave these functions out (WP's -wp-skip-fct)
#   PROVE_LOG      WP's output (default build/prove.log)
#   PROVE_REPORTS  where the JSON reports go (default proofs/report)
#   PROVE_KNOWN    a file of goal names not proved yet (proofs/unproved.txt):
#                  the run then fails only on other goals,
#                  and says which of the listed goals are proved now
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -n "${PROVE_FILES:-}" ]; then
	scope=$(printf '%s\n' $PROVE_FILES)
else
	scope=$(grep -v '^#' "${PROVE_SCOPE:-proofs/scope}" | grep .)
fi
[ "${PROVE_SLOW:-yes}" = no ] && scope=$(grep -v '^slow ' <<<"$scope")
scope=$(sed 's/^slow //' <<<"$scope")
for f in ${PROVE_EXCLUDE:-}; do
	scope=$(grep -v "^$f\( \|\$\)" <<<"$scope")
done
timeout=${PROVE_TIMEOUT:-10}
# Z3 and CVC4 (Alt-Ergo and cvc5 are not available with Debian 12's Why3).
# WP tries them in turn on a goal; CVC4 goes first because it proves most
# goals here, and a prover that cannot prove a goal spends its whole timeout.
provers=cvc4,z3
# Replay runs no search of its own: a goal without a script gets the
# provers alone, so a goal still open costs two timeouts, not a search.
case ${PROVE_SCRIPTS:-replay} in
replay) mode=script auto= ;;
update) mode=tip auto=wp:split,wp:bitrange,wp:bittestrange,wp:bitshift,wp:range ;;
*) echo "prove: PROVE_SCRIPTS is replay or update" >&2; exit 2 ;;
esac
log=${PROVE_LOG:-build/prove.log}
reports=${PROVE_REPORTS:-proofs/report}
mkdir -p build "$reports"
source proofs/wp-poll.sh
: >"$log"
start=$(date +%s)
echo "prove: provers $provers, timeout ${timeout}s, scripts ${PROVE_SCRIPTS:-replay}," \
	"${PROVE_JOBS:-1} WP runs of ${PROVE_PAR:-2} provers at once"
# One WP run a line of the scope, up to PROVE_JOBS of them at once, each
# with its own log.  The lemmas every file sees (those of the headers and
# proofs/lemmas.h) are goals of the first run only; a file's own lemmas
# are goals of its "lemmas" line, which leaves the shared ones out by
# name.  A line that names functions has no lemma goals and leaves out
# nothing: an assertion may bear a shared lemma's name.  (A whole file,
# PROVE_FILES, proves the shared lemmas again.)
shared=$(grep -ho '^ *lemma [A-Za-z_0-9]*[ {:]' proofs/lemmas.h spec/*.h ref/include/*.h ref/src/*.h |
	sed 's/^ *lemma \([A-Za-z_0-9]*\).*/-\1/' | sort -u | paste -sd,)
jobs=${PROVE_JOBS:-1}
rm -f "$log".[0-9]*
progress() { # goals done of goals scheduled, over every run so far
	local done_goals total_goals
	done_goals=$(cat "$log".[0-9]* 2>/dev/null | grep -c '^\[wp\] \[[^]]*\] Goal ')
	total_goals=$(cat "$log".[0-9]* 2>/dev/null | sed -n 's/^\[wp\] \([0-9]*\) goals* scheduled/\1/p' |
		awk '{ s += $1 } END { print s }')
	echo "prove: $done_goals of ${total_goals:-?} goals after $(( $(date +%s) - start )) s"
}
pace() { # until a run ends or PROGRESS seconds pass; progress on the latter
	local timer
	sleep "${PROGRESS:-20}" & timer=$!
	wait -n
	if kill -0 "$timer" 2>/dev/null; then
		kill "$timer"; wait "$timer" 2>/dev/null
	else
		progress
	fi
}
n=0
declare -A runs # lines of the scope so far a file, to name their reports apart
while read -r file fcts; do
	n=$((n + 1))
	# "cast": the line's contracts read a void pointer as the struct it
	# points to (the TLB model's hooks): WP's Typed+cast model, and the
	# `calls` clauses of its function-pointer calls in place of RTE's
	# \valid_function, which WP cannot prove (proofs/ASSUMPTIONS.md).
	model=()
	if [ "$file" = cast ]; then
		model=(-wp-model Typed+cast -rte-no-pointer-call)
		read -r file fcts <<<"$fcts"
	fi
	fcts=${PROVE_FCT:-$(echo $fcts | tr ' ' ',')}
	# "lemmas" in place of functions: the file's own lemmas alone.
	select=()
	if [ "$fcts" = lemmas ]; then
		select=(-wp-prop=@lemma)
	elif [ -n "$fcts" ]; then
		select=(-wp-fct "$fcts")
	fi
	base=$(basename "$file" .c)
	runs[$base]=$((${runs[$base]:-0} + 1))
	[ "${runs[$base]}" -gt 1 ] && base=$base-${runs[$base]}
	echo "prove: [$n] $file${fcts:+ ($fcts)}"
	(s=$(date +%s)
	 frama-c "${wp_poll[@]}" -cpp-extra-args="-Iref/include -include proofs/frama.h" "$file" \
		-wp -wp-rte "${model[@]}" -wp-prover "$mode,$provers" -wp-session proofs/wp -wp-cache none \
		-wp-par "${PROVE_PAR:-2}" -wp-timeout "$timeout" ${auto:+-wp-auto "$auto" -wp-auto-depth "${PROVE_DEPTH:-5}"} \
		"${select[@]}" ${PROVE_SKIP:+-wp-skip-fct "$PROVE_SKIP"} \
		$([ "$n" -gt 1 ] && [ "$fcts" = lemmas ] && echo "-wp-prop=$shared") \
		-wp-report-json "$reports/$base.json" </dev/null >"$log.$n" 2>&1
	 echo $? >"$log.$n.rc"
	 echo "prove: [$n] $file: done in $(( $(date +%s) - s )) s") &
	# While PROVE_JOBS runs go on: progress every PROGRESS seconds (default
	# 20), and the next line as soon as a run ends, so no core waits.
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do
		pace
	done
done <<<"$scope"
while [ -n "$(jobs -rp)" ]; do
	pace
done
wait
status=0
for i in $(seq "$n"); do
	[ "$(cat "$log.$i.rc" 2>/dev/null)" = 0 ] || status=1
	cat "$log.$i" >>"$log"
done
rm -f "$log".[0-9]*
line=$(sed -n 's/^\[wp\] Proved goals: *//p' "$log" |
	awk -F' */ *' '{ p += $1; t += $2 } END { if (NR) print p " / " t }')
# A goal is open when WP says so ("[Failed] Goal g") or its script's
# replay did not end valid ("[Script] Goal g : Timeout").
unproved=$( (sed -n 's/^\[wp\] \[\(Failed\|Timeout\|Unknown\)\] Goal \([^ ]*\).*/\2/p' "$log"
	sed -n 's/^\[wp\] \[Script\] Goal \([^ ]*\) : \(Failed\|Timeout\|Unknown\).*/\1/p' "$log") | sort -u)
echo "proved ${line:-0 / ?} in $(( $(date +%s) - start )) s (log: $log)"
[ "$status" -eq 0 ] && [ -n "$line" ] || exit 1
if [ -z "${PROVE_KNOWN:-}" ]; then
	for g in $unproved; do echo "  not proved: $g"; done
	[ -z "$unproved" ]
	exit
fi
known=$(grep -v '^#' "$PROVE_KNOWN" | sort -u)
new=$(comm -23 <(printf '%s\n' $unproved) <(printf '%s\n' $known) | grep .)
# Listed goals this run proved: only those it ran (a partial scope leaves
# the others untried, not proved).
ran=$(sed -n 's/^\[wp\] \[[^]]*\] Goal \([^ ]*\).*/\1/p' "$log" | sort -u)
done_now=$(comm -12 <(printf '%s\n' $ran) <(printf '%s\n' $known) |
	comm -23 - <(printf '%s\n' $unproved) | grep .)
for g in $new; do echo "  not proved (not in $PROVE_KNOWN): $g"; done
for g in $done_now; do echo "  proved now, remove from $PROVE_KNOWN: $g"; done
echo "$(printf '%s\n' $unproved | grep -c .) goals not proved, all of them listed in $PROVE_KNOWN: $([ -z "$new" ] && echo yes || echo NO)"
[ -z "$new" ]
