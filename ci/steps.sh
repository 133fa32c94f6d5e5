#!/usr/bin/env bash
# Runs each make target named on the command line, all of them even after a
# failure, and ends with one line: "test: N passed, N failed".
set -u
passed=0 failed=0 failures=""
for step in "$@"; do
  start=$(date +%s)
  if make --no-print-directory "$step"; then
    passed=$((passed + 1)); verdict=ok
  else
    failed=$((failed + 1)); verdict=FAILED; failures="$failures $step"
  fi
  echo "== step $step: $verdict ($(( $(date +%s) - start )) s)"
done
[ -z "$failures" ] || echo "failed steps:$failures"
echo "test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
