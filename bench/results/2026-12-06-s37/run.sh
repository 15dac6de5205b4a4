#!/bin/sh
# Session 37: #4's figures at this session's code, and the README's penalty and linear-constraint
# figures. Run from the repository root after building; the timings want a quiet machine.
set -eu
D=bench/results/2026-12-06-s37
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  build/bin/bo_bench --function $f --budget 50 --seeds 20 --mode default
done > $D/bo_default_50.jsonl
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20
done > $D/optuna_50.jsonl
build/bin/bo_bench --function branin --budget 200 --seeds 20 --mode default > $D/branin_default_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode default > $D/hartmann6_default_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast > $D/hartmann6_fast_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 3 --mode default > $D/hartmann6_default_200_timing.jsonl
for v in 1e30 1000; do
  build/bin/bo_bench --function branin --budget 40 --mode default --fail-above 1 5 --fail-value $v
done > $D/branin_penalties_40.jsonl
build/bin/bo_bench --function hartmann6_linear --budget 50 --seeds 20 --mode default > $D/hartmann6_linear_50.jsonl
