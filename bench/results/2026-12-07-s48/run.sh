#!/bin/sh
# Session 48: #4's figures at this session's code (regrets first; the timings, last, want a
# quiet machine). Run from the repository root after a Release build: run.sh regret | timing.
set -eu
D=bench/results/2026-12-07-s48
B="build/bin/bo_bench --threads 1"
case "${1:-regret}" in
regret)
  for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do $B --function $f --budget 50 --seeds 20 --mode default; done > $D/bo_default_50.jsonl
  for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > $D/optuna_50.jsonl
  for f in branin hartmann6; do $B --function $f --budget 200 --seeds 20 --mode default; done > $D/default_200.jsonl ;;
timing)
  $B --function hartmann6 --budget 200 --seeds 20 --mode fast > $D/hartmann6_fast_200.jsonl
  $B --function hartmann6 --budget 200 --seeds 3 --mode default > $D/hartmann6_default_200_timing.jsonl
  $B --function hartmann6 --budget 200 --seeds 2 --mode mcmc > $D/hartmann6_mcmc_200_timing.jsonl ;;
esac
