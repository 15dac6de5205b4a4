#!/usr/bin/env bash
# Failing evaluations that return a penalty constant instead of failing (bo_bench --fail-value),
# beside NaN failures. Run from the repository root: penalty_values.sh TAG
set -euo pipefail
tag=$1
out=bench/results/2026-12-02-s4/penalty_$tag.jsonl
: > "$out"
run() { build/bin/bo_bench --mode default --threads 2 --seeds 20 "$@" >> "$out"; }
for v in nan 1000 3000 10000 30000 1e30; do
  a=(); [ "$v" = nan ] || a=(--fail-value "$v")
  run --function branin --budget 40 --fail-above 1 5 "${a[@]}"
done
for v in nan 1000; do
  a=(); [ "$v" = nan ] || a=(--fail-value "$v")
  run --function branin --budget 40 --fail-rate 0.2 "${a[@]}"
done
for v in nan 1 10; do
  a=(); [ "$v" = nan ] || a=(--fail-value "$v")
  run --function hartmann6 --budget 60 --fail-above 0 0.5 "${a[@]}"
done
