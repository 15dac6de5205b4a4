#!/usr/bin/env bash
# 2026-12-02 (fifth session): mixed spaces against Optuna, the categorical kernel, and batches.
# Run from the repository root after a Release build (scripts/build.sh).
set -euo pipefail
out=bench/results/2026-12-02-s5
mixed=(ackley5_int rosenbrock4_mixed styblinski_tang8_cat)
for p in "${mixed[@]}"; do /usr/bin/python3 bench/peers/bo_optuna_mixed.py $p 50 --seeds 20; done > $out/optuna_mixed_50.jsonl
for p in "${mixed[@]}"; do build/bin/bo_bench --function $p --budget 50 --seeds 20 --mode default --threads 2; done \
  > $out/gpbo_mixed_50_overlap.jsonl
for p in "${mixed[@]}"; do
  build/bin/bo_bench --function $p --budget 50 --seeds 20 --mode default --threads 2 --options '{"categorical_kernel":"one_hot"}'
done > $out/gpbo_mixed_50_one_hot.jsonl
build/bin/bo_bench --function "${mixed[@]}" --budget 50 --seeds 4 --mode fast mcmc --threads 2 > $out/mixed_fast_mcmc_50.jsonl
for q in 4 1; do build/bin/bo_bench --budget 50 200 --seeds 20 --mode default --threads 2 --batch $q > $out/batch_q$q.jsonl; done
build/bin/bo_bench --budget 50 --seeds 20 --mode default --threads 2 > $out/default_50_check.jsonl
# categorical_cases.cpp: build as its header says, then
#   ./cases > $out/categorical_cases_overlap.txt; ./cases one_hot > $out/categorical_cases_one_hot.txt
