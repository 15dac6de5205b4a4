#!/bin/sh
# Session 38: #4's figures at this session's code, the outcome-constraint benchmark after the
# constraint-model change, and the two small constrained problems of its review. Run from the
# repository root after a Release build; the timings want a quiet machine.
set -eu
D=bench/results/2026-12-06-s38
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  build/bin/bo_bench --function $f --budget 50 --seeds 20 --mode default --threads 1
done > $D/bo_default_50.jsonl
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20
done > $D/optuna_50.jsonl
build/bin/bo_bench --function branin --budget 200 --seeds 20 --mode default --threads 1 > $D/branin_default_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode default --threads 1 > $D/hartmann6_default_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $D/hartmann6_fast_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 3 --mode default --threads 1 > $D/hartmann6_default_200_timing.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 2 --mode mcmc --threads 1 > $D/hartmann6_mcmc_200_timing.jsonl
build/bin/bo_bench --function gramacy_toy --function tension_spring --budget 30 --budget 50 --seeds 60 --mode default \
  --threads 1 > $D/constrained_default.jsonl
for c in line circle; do
  for s in 1 2 3 4 5; do
    build/bin/gpbo tune $D/${c}_constraint.json --seed $s --out /tmp/gpbo_s38_$c$s --quiet | grep infeasible
    rm -rf /tmp/gpbo_s38_$c$s
  done
done
