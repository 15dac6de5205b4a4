#!/bin/sh
# Failures at random at high rates (50%, 80%), 40 seeds each, default mode. Usage, from the
# repository root: random_failures.sh > out.jsonl
for args in "--function branin --budget 40 --fail-rate 0.5" \
            "--function branin --budget 40 --fail-rate 0.8" \
            "--function hartmann6 --budget 50 --fail-rate 0.5" \
            "--function hartmann6 --budget 50 --fail-rate 0.8"; do
  build/bin/bo_bench $args --seeds 40 --mode default --threads 2
done
