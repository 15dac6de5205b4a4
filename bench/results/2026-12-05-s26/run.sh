#!/bin/bash
# Session 26: #4's figures side by side: Optuna TPE at 50, gpbo default at 50 and 200, fast and mcmc no-crash at 50.
cd /work/main
R=bench/results/2026-12-05-s26
( for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > $R/optuna_50.jsonl ) &
build/bin/bo_bench --budget 50 200 --seeds 20 --mode default --threads 1 > $R/bo_default_50_200.jsonl
wait
build/bin/bo_bench --budget 50 --seeds 20 --mode fast mcmc --threads 2 > $R/bo_fast_mcmc_50.jsonl
