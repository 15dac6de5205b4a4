#!/bin/bash
# Session 27: #4's figures re-measured after the failure-weighting change (runs without failures
# take the unchanged path): TPE and gpbo default at 50, Branin and Hartmann-6 at 200, the fast
# preset's overhead on Hartmann-6 at 200.
cd /work/main
R=bench/results/2026-12-05-s27
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > $R/optuna_50.jsonl
build/bin/bo_bench --budget 50 --seeds 20 --mode default --threads 2 > $R/bo_default_50.jsonl
build/bin/bo_bench --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 1 > $R/bo_default_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $R/fast_hartmann6_200.jsonl
