#!/usr/bin/env bash
# #4's overhead figures and the GP fit against scikit-learn, one thread, from the repository root
# (build/ a Release build). GP cases from ../shared/peers/make_gp_case.py in /tmp/gpcase.
set -euo pipefail
out=${1:-bench/results/2026-12-03-s12}
B=build/bin/bo_bench
$B --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $out/fast_hartmann6_200.jsonl
$B --budget 200 --seeds 2 --mode default --threads 1 > $out/default_200_overhead.jsonl
$B --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $out/mcmc_hartmann6_200.jsonl
for n in 250 500 1000; do
  build/bin/gp_bench --train /tmp/gpcase/train_$n.csv --test /tmp/gpcase/test.csv --restarts 2
done > $out/gp_bench.jsonl
