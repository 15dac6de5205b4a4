#!/bin/bash
# #4's overhead figures, run alone (one thread), from the repository root.
D=bench/results/2026-12-05-s25
B=build/bin/bo_bench
$B --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $D/fast_hartmann6_200.jsonl
$B --function branin hartmann6 ackley5 rosenbrock4 styblinski_tang8 --budget 200 --seeds 2 --mode default --threads 1 > $D/default_200_overhead.jsonl
$B --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $D/mcmc_hartmann6_200.jsonl
echo finished
