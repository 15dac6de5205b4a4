#!/bin/sh
# Session 35: #4's figures at this session's code (no change to the search: every per-seed best
# at 50 equals session 34's). Run from the repository root after building, on a quiet machine
# for the timings (the *_loaded file was written beside two helper processes and a build).
set -eu
D=bench/results/2026-12-06-s35
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  build/bin/bo_bench --function $f --budget 50 --seeds 20 --mode default
done > $D/bo_default_50.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode default > $D/hartmann6_default_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast > $D/hartmann6_fast_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 2 --mode mcmc > $D/hartmann6_mcmc_200.jsonl
# After commit c16d7e2 (log-EI tail): the *_log_ei_tail.jsonl files
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  build/bin/bo_bench --function $f --budget 50 --seeds 20 --mode default
done > $D/bo_default_50_log_ei_tail.jsonl
build/bin/bo_bench --function branin hartmann6 --budget 200 --seeds 20 --mode default > $D/branin_hartmann6_default_200_log_ei_tail.jsonl
build/bin/bo_bench --function hartmann6_linear --budget 50 --seeds 20 --mode default > $D/hartmann6_linear_50_log_ei_tail.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast > $D/hartmann6_fast_200_log_ei_tail.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 10 --mode default > $D/hartmann6_default_200_10seeds_log_ei_tail.jsonl
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20
done > $D/optuna_50.jsonl
