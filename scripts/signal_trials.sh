#!/usr/bin/env bash
# The signal trial test (SIGINT and SIGKILL landed in the middle of renders), RUNS times
# in a row with one CPU hog (`yes`) on top of whatever else the machine runs. One line
# per run with the signals that landed mid-render; stops at the first failure.
#
# usage (from the project folder, after `uv sync --all-extras`):
#   scripts/signal_trials.sh [RUNS]        # RUNS defaults to 20
# docs/reliability.md ("Children and signals") quotes its output.
set -u
runs=${1:-20}
yes > /dev/null &
hog=$!
trap 'kill $hog' EXIT
for i in $(seq 1 "$runs"); do
  start=$(date +%s)
  out=$(uv run pytest -p no:cacheprovider -p no:randomly -q -s \
    tests/reliability/test_reliability_faults.py -k sigint_and_sigkill 2>&1)
  rc=$?
  echo "run $i: exit $rc, $(($(date +%s) - start)) s, load $(cut -d' ' -f1 /proc/loadavg)," \
    "$(grep -o 'landed mid-render.*' <<<"$out")"
  if [ "$rc" -ne 0 ]; then
    echo "$out" | tail -40
    exit 1
  fi
done
echo "$runs runs in a row passed"
