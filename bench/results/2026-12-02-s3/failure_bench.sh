#!/bin/bash
# Failure-handling cases through bo_bench (default mode, 40 seeds): usage failure_bench.sh BO_BENCH > out.jsonl
set -euo pipefail
B=$1
run() { "$B" --mode default --seeds 40 --threads 2 "$@"; }
run --function branin --budget 40 --fail-above 0 5
run --function branin --budget 40 --fail-above 1 5
run --function branin --budget 40 --fail-rate 0.2
run --function branin --budget 40 --fail-rate 0.5
run --function hartmann6 --budget 60 --fail-rate 0.3
run --function hartmann6 --budget 50 --fail-above 0 0.5
run --function rosenbrock4 --budget 50 --fail-above 0 2
run --function branin --budget 40 --fail-above 1 5 --options '{"acquisition":"ucb"}'
run --function hartmann6 --budget 50 --fail-above 0 0.5 --options '{"acquisition":"ucb"}'
