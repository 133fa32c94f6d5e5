#!/usr/bin/env bash
# Each variant plants one bug in a scratch copy of ref/src/walk.c and runs
# WP on the function it breaks: the proof must fail.  The unbroken file
# must prove the same functions.  Exits non-zero otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
fails=0

# name | function | sed expression applied to walk.c
variants=(
	"SMEP ignored on supervisor fetches|rights_deny|s/return (upage \&\& (ctl->flags \& XPT_CTL_SMEP)) || nx;/return nx;/"
	"R/W ORed across levels|combine_rights|s/if (!(e \& XPT_PTE_RW))/if (0)/"
	"implicit access keeps U in the error code|access_error_code|s/ec \&= ~XPT_PF_U;/ec \&= ~0u;/"
	"protection keys checked on fetches|pkey_denies|s/return false;\$/return ad;/"
)

prove() { # file function -> prints "proved X / Y"
	frama-c -cpp-extra-args="-Iref/include -include proofs/frama.h" "$1" \
		-wp -wp-rte -wp-prover z3,cvc4 -wp-par 2 -wp-timeout 5 -wp-fct "$2" -wp-prop=-@lemma \
		-wp-auto wp:split,wp:bitrange,wp:bittestrange,wp:bitshift 2>&1 |
		sed -n 's/^\[wp\] Proved goals: *//p'
}

for v in "${variants[@]}"; do
	IFS='|' read -r name fct expr <<<"$v"
	cp ref/src/walk.c "$scratch/walk.c"
	sed -i "$expr" "$scratch/walk.c"
	if cmp -s ref/src/walk.c "$scratch/walk.c"; then
		echo "broken: '$name': the edit did not apply"; fails=$((fails + 1)); continue
	fi
	cp ref/src/bits.h "$scratch/"
	good=$(prove ref/src/walk.c "$fct") bad=$(prove "$scratch/walk.c" "$fct")
	if [ "${good%% /*}" = "${good##*/ }" ] && [ "${bad%% /*}" != "${bad##*/ }" ]; then
		echo "broken: '$name' ($fct): intact $good, broken $bad: caught"
	else
		echo "broken: '$name' ($fct): intact $good, broken $bad: NOT caught"; fails=$((fails + 1))
	fi
done
echo "broken: $((${#variants[@]} - fails)) of ${#variants[@]} planted bugs fail their proof"
[ "$fails" -eq 0 ]
