#!/bin/bash
# Session 31: #4's figures at this session's code. The 50-evaluation and Branin/Hartmann-6
# 200-evaluation runs match session 30's per seed (no choice schedule below 80 points, and those
# functions never try a log). "before" runs used a1c548e's bo_bench, built in a worktree.
cd /work/main
R=bench/results/2026-12-05-s31
B=build/bin/bo_bench
$B --budget 50 --seeds 20 --mode default --threads 2 > $R/bo_default_50.jsonl
$B --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 2 > $R/bo_default_200_regret.jsonl
$B --function ackley5 styblinski_tang8 --budget 200 --seeds 20 --mode default --threads 2 > $R/bo_default_200_others.jsonl
$B --function rosenbrock4 --budget 50 200 --seeds 20 --mode default --threads 1 > $R/rosenbrock4_now.jsonl
$B --budget 50 200 --seeds 20 --mode fast --threads 2 > $R/bo_fast.jsonl
$B --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $R/fast_hartmann6_200.jsonl
$B --function hartmann6 --budget 200 --seeds 3 --mode default --threads 1 > $R/default_hartmann6_200_timing.jsonl
$B --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $R/mcmc_hartmann6_200.jsonl
