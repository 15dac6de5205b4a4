#!/bin/bash
# Session 32: #4's figures at this session's code (no change to what the optimizer does: the
# 50-evaluation runs have session 31's per-seed bests), Optuna TPE beside them, and the overheads.
cd /work/main
R=bench/results/2026-12-06-s32
B=build/bin/bo_bench
$B --budget 50 --seeds 20 --mode default --threads 2 > $R/bo_default_50.jsonl
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > $R/optuna_50.jsonl 2> $R/optuna_50.err
$B --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 2 > $R/bo_default_200_regret.jsonl
$B --function ackley5 styblinski_tang8 rosenbrock4 --budget 200 --seeds 20 --mode default --threads 2 > $R/bo_default_200_others.jsonl
$B --budget 50 200 --seeds 20 --mode fast --threads 2 > $R/bo_fast.jsonl
$B --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $R/fast_hartmann6_200.jsonl
$B --function hartmann6 --budget 200 --seeds 3 --mode default --threads 1 > $R/default_hartmann6_200_timing.jsonl
$B --function rosenbrock4 --budget 200 --seeds 3 --mode default --threads 1 > $R/default_rosenbrock4_200_timing.jsonl
$B --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $R/mcmc_hartmann6_200.jsonl
