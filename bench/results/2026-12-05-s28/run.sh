#!/bin/bash
# Session 28: #4's figures re-measured (no change in the optimization path this session: every
# per-seed best at 50 and 200 matches session 27's). TPE and gpbo default at 50; Branin and
# Hartmann-6 at 200 (regret; measured beside a sanitizer build); fast and mcmc at 50 (no errors);
# then, on a quiet machine, the overhead figures: fast Hartmann-6 at 200, default and mcmc
# per-iteration time at 200 points.
cd /work/main
R=bench/results/2026-12-05-s28
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > $R/optuna_50.jsonl
build/bin/bo_bench --budget 50 --seeds 20 --mode default --threads 1 > $R/bo_default_50.jsonl
build/bin/bo_bench --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 1 > $R/bo_default_200_regret.jsonl
build/bin/bo_bench --budget 50 --seeds 20 --mode fast mcmc --threads 2 > $R/bo_fast_mcmc_50.jsonl
# quiet machine:
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $R/fast_hartmann6_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 3 --mode default --threads 1 > $R/default_hartmann6_200_timing.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $R/mcmc_hartmann6_200.jsonl
