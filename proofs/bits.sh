#!/usr/bin/env bash
# Proves the goals of proofs/bits.mlw with Z3 on 64-bit vectors and checks
# that they are the axioms of the blocks Bits and BitsLeaf in
# proofs/lemmas.h, name for name (each axiom is taken on the strength of
# its goal here).  Prints "bits: proved X / Y"; exits non-zero when a goal
# is not proved or the two lists differ.
set -uo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -o '^ *goal [a-z_0-9]*' proofs/bits.mlw | awk '{ print $2 }' | sort >"$tmp/goals"
sed -n '/axiomatic Bits[A-Za-z]* {/,/^ *}/p' proofs/lemmas.h | grep -o '^ *axiom [a-z_0-9]*' |
	awk '{ print $2 }' | sort >"$tmp/axioms"
if ! cmp -s "$tmp/goals" "$tmp/axioms"; then
	echo "bits: the goals of proofs/bits.mlw and the axioms of Bits and BitsLeaf in proofs/lemmas.h differ:"
	diff "$tmp/goals" "$tmp/axioms" | sed -n 's/^</  goal only:/p; s/^>/  axiom only:/p'
	exit 1
fi

why3 prove -P z3 -t "${BITS_TIMEOUT:-20}" proofs/bits.mlw >"$tmp/out" 2>&1
# why3 prints, for each goal, "Goal <name>." then "Prover result is: <verdict>".
awk '/^Goal / { g = $2; sub(/\.$/, "", g) }
     /^Prover result is:/ { print g, ($4 == "Valid" ? "valid" : "failed") }' "$tmp/out" >"$tmp/verdicts"
total=$(wc -l <"$tmp/goals")
proved=$(grep -c ' valid$' "$tmp/verdicts")
echo "bits: proved $proved / $total (Z3 on bit vectors, proofs/bits.mlw)"
if [ "$proved" -ne "$total" ]; then
	grep -v ' valid$' "$tmp/verdicts" | sed 's/^/  not proved: /'
	cat "$tmp/out"
	exit 1
fi
