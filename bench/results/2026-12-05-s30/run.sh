#!/bin/bash
# Session 30: the log-y output model (111f630). #4's figures side by side (TPE and gpbo default at
# 50; Branin and Hartmann-6 at 200; fast and mcmc at 50, no errors), and the rows of the README's
# Benchmarks that it may move: held-out functions, mixed spaces, batches of four, 20 dimensions.
# `run.sh quiet` for the overhead figures on a quiet machine.
cd /work/main
R=bench/results/2026-12-05-s30
B=build/bin/bo_bench
if [ "$1" != quiet ]; then
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > $R/optuna_50.jsonl 2> $R/optuna_50.err
$B --budget 50 --seeds 20 --mode default --threads 1 > $R/bo_default_50.jsonl 2> $R/bo50.err
$B --function rosenbrock4 --budget 50 --seeds 20 --mode fast mcmc --threads 1 > $R/rosenbrock4_fast_mcmc_50.jsonl
$B --function hartmann3 six_hump_camel levy4 rastrigin4 sphere4 ackley10 --budget 50 --seeds 20 --mode default --threads 1 > $R/held_out_50.jsonl
$B --function ackley5_int rosenbrock4_mixed styblinski_tang8_cat --budget 50 --seeds 20 --mode default --threads 1 > $R/mixed_50.jsonl
$B --function branin hartmann6 ackley5 rosenbrock4 styblinski_tang8 --budget 50 200 --seeds 20 --mode default --batch 4 --threads 1 > $R/batch4.jsonl
$B --function ackley20 levy20 rosenbrock20 --budget 100 --seeds 10 --mode default --threads 1 > $R/bo_high_dim_100.jsonl
$B --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 1 > $R/bo_default_200_regret.jsonl 2> $R/bo200.err
$B --budget 50 --seeds 20 --mode fast mcmc --threads 1 > $R/bo_fast_mcmc_50.jsonl 2> $R/bo_fast_mcmc_50.err
else  # quiet machine:
$B --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $R/fast_hartmann6_200.jsonl
$B --function hartmann6 --budget 200 --seeds 3 --mode default --threads 1 > $R/default_hartmann6_200_timing.jsonl
$B --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $R/mcmc_hartmann6_200.jsonl
fi
