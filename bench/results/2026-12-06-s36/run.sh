#!/bin/sh
# Session 36: #4's figures at this session's code (no change to bayesopt/ or gp/ this session;
# the runs re-measure them on this machine). Run from the repository root after building; the
# timings want a quiet machine.
set -eu
D=bench/results/2026-12-06-s36
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  build/bin/bo_bench --function $f --budget 50 --seeds 20 --mode default
done > $D/bo_default_50.jsonl
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20
done > $D/optuna_50.jsonl
build/bin/bo_bench --function branin --budget 200 --seeds 20 --mode default > $D/branin_default_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode default > $D/hartmann6_default_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast > $D/hartmann6_fast_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 2 --mode mcmc > $D/hartmann6_mcmc_200.jsonl
