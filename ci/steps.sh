#!/usr/bin/env bash
# Runs each make target named on the command line, all of them even after a
# failure, saying before each which step of how many it is and how long the
# run has taken, and ends with one line: "test: N passed, N failed".
set -u
passed=0 failed=0 failures="" i=0 begin=$(date +%s)
for step in "$@"; do
  i=$((i + 1))
  echo "== [$i/$#] $step ($(( $(date +%s) - begin )) s so far${failures:+, failed so far:$failures})"
  start=$(date +%s)
  if make --no-print-directory "$step"; then
    passed=$((passed + 1)); verdict=ok
  else
    failed=$((failed + 1)); verdict=FAILED; failures="$failures $step"
  fi
  echo "== [$i/$#] $step: $verdict ($(( $(date +%s) - start )) s)"
done
[ -z "$failures" ] || echo "failed steps:$failures"
echo "test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
