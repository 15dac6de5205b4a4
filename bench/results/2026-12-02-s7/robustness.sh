#!/usr/bin/env bash
# Failures, penalty constants and noisy objectives with and without the fitted warp, 20 seeds,
# default mode. From the repository root: robustness.sh BO_BENCH TAG
set -euo pipefail
B=$1
out=bench/results/2026-12-02-s7/robustness_$2.jsonl
: > "$out"
run() { "$B" --mode default --seeds 20 --threads 2 "$@" >> "$out"; }
run --function branin --budget 40 --fail-above 0 5
run --function branin --budget 40 --fail-above 1 5
run --function branin --budget 40 --fail-rate 0.2
run --function hartmann6 --budget 60 --fail-rate 0.3
run --function hartmann6 --budget 50 --fail-above 0 0.5
run --function rosenbrock4 --budget 50 --fail-above 0 2
run --function branin --budget 40 --fail-above 1 5 --options '{"acquisition":"ucb"}'
run --function branin --budget 40 --fail-above 1 5 --fail-value 1000
run --function branin --budget 40 --fail-above 1 5 --fail-value 1e30
run --function branin --budget 40 --fail-rate 0.2 --fail-value 1000
run --function hartmann6 --budget 60 --fail-above 0 0.5 --fail-value 10
run --function branin --budget 50 --objective-noise 1
run --function hartmann6 --budget 50 --objective-noise 0.1
run --function rosenbrock4 --budget 50 --objective-noise 10
