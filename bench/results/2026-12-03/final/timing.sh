#!/usr/bin/env bash
# #4's overhead figures at the final code, one thread, nothing else running (from the repository root).
set -euo pipefail
out=bench/results/2026-12-03/final
B=build/bin/bo_bench
$B --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $out/fast_hartmann6_200.jsonl
$B --budget 200 --seeds 2 --mode default --threads 1 > $out/overhead_200.jsonl
$B --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $out/mcmc_hartmann6_200_1seed.jsonl
