#!/usr/bin/env bash
# Every function of ref/src, and every inline function of the headers they
# include, is named by a line of proofs/scope (so WP proves it) or listed in
# proofs/unscoped (no proof yet), not both; and every name in either file
# is a function its file has.  A new function without a line fails here,
# before any proof runs.  Exits non-zero on any mismatch.
set -uo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Frama-C's own list of the functions it parsed (ghost ones too), each as
# "<file that holds it> <c file> <name>": the file is a header for inlines.
for f in ref/src/*.c; do
	frama-c -cpp-extra-args="-Iref/include -include proofs/frama.h" "$f" \
		-metrics -metrics-by-function >"$tmp/metrics" 2>&1 </dev/null ||
		{ cat "$tmp/metrics"; echo "coverage: frama-c could not parse $f"; exit 1; }
	sed -n "s|^ *Stats for function <\(.*\)/\([A-Za-z_0-9]*\)>\$|\1/\2 $f \2|p" "$tmp/metrics" |
		awk '{ sub(/\/[A-Za-z_0-9]*$/, "", $1); print }'
done | sort -u >"$tmp/defined"

# "<list> <c file> <name>" for every name a line gives; a file alone on a
# line of the scope stands for all its functions, "lemmas" for none.
names() { # list-name file
	grep -v '^#' "$2" | grep . | sed 's/^slow //; s/^cast //' | while read -r file fcts; do
		if [ -z "$fcts" ]; then
			awk -v f="$file" -v l="$1" '$2 == f { print l, f, $3 }' "$tmp/defined"
		elif [ "$fcts" != lemmas ]; then
			for fn in $fcts; do echo "$1 $file $fn"; done
		fi
	done
}
{ names scope proofs/scope; names unscoped proofs/unscoped; } | sort -u >"$tmp/named"

awk -v tmp="$tmp" '
	FILENAME == tmp "/defined" { has[$2 " " $3] = 1; holder[$2 " " $3] = $1; next }
	{
		if (!((($2 " " $3)) in has)) {
			printf "coverage: %s names %s, which %s does not have\n", \
				($1 == "scope" ? "proofs/scope" : "proofs/unscoped"), $3, $2
			bad = 1
			next
		}
		key = holder[$2 " " $3] " " $3  # the function itself, wherever included
		seen[$1 " " key] = 1
	}
	END {
		while ((getline line < (tmp "/defined")) > 0) {
			split(line, p, " ")
			key = p[1] " " p[3]
			if (key in done) continue
			done[key] = 1
			s = ("scope " key) in seen; u = ("unscoped " key) in seen
			if (!s && !u) { printf "coverage: %s (%s) is neither proved (proofs/scope) nor listed (proofs/unscoped)\n", p[3], p[1]; bad = 1 }
			if (s && u) { printf "coverage: %s (%s) is both proved (proofs/scope) and listed (proofs/unscoped)\n", p[3], p[1]; bad = 1 }
			if (s) proved++; else if (u) open++
		}
		printf "coverage: %d functions proved, %d listed without a proof (proofs/unscoped)\n", proved, open
		exit bad
	}' "$tmp/defined" "$tmp/named"
