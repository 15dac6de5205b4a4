#!/bin/sh
# Runs with failing regions (and failures at random), 40 seeds each, default mode: how many
# evaluations fail and the regret reached. Usage: failures.sh > out.jsonl (from the repository root).
for args in "--function branin --budget 40 --fail-above 1 5" \
            "--function hartmann6 --budget 50 --fail-above 0 0.5" \
            "--function ackley5 --budget 50 --fail-above 2 10" \
            "--function rosenbrock4 --budget 50 --fail-above 0 1" \
            "--function hartmann6 --budget 50 --fail-rate 0.1" \
            "--function hartmann6 --budget 50 --fail-rate 0.3"; do
  build/bin/bo_bench $args --seeds 40 --mode default --threads 2
done
