#!/usr/bin/env bash
# #4's core figures at this session's code, from the repository root (build/ a Release build):
# the five functions at 50 and 200 evaluations (default mode, 20 seeds) beside Optuna TPE at 50.
# Regrets do not depend on the machine; compare with ../2026-12-03/final/ (same seeds).
# Usage: bash bench/results/2026-12-03-s11/run.sh [OUTPUT_FOLDER] [BO_BENCH]
# (BO_BENCH: a copy of build/bin/bo_bench, so that a rebuild during the run cannot change it)
set -euo pipefail
out=${1:-bench/results/2026-12-03-s11}  # or another results folder
B=${2:-build/bin/bo_bench}
$B --budget 50 --seeds 20 --mode default --threads 2 > $out/default_50.jsonl
$B --budget 200 --seeds 20 --mode default --threads 2 > $out/default_200_20seeds.jsonl
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20
done > $out/optuna_50.jsonl 2> $out/optuna.err
/usr/bin/python3 bench/results/2026-12-02-s8/summarize.py $out/default_50.jsonl $out/default_200_20seeds.jsonl \
  $out/optuna_50.jsonl | sed "s#$out/##" > $out/summary.txt
