#!/bin/bash
# The short-range kernel term (9b7390b): #4's figures and the held-out functions, from the
# repository root. Regrets only; the timings are in timing.sh (run alone).
D=bench/results/2026-12-04-s20/short_range
B=build/bin/bo_bench
$B --function branin hartmann6 ackley5 rosenbrock4 styblinski_tang8 --budget 50 --seeds 20 --mode default --threads 2 > $D/bo_50_default.jsonl
$B --function branin hartmann6 ackley5 rosenbrock4 styblinski_tang8 rastrigin4 --budget 50 --seeds 60 --mode default --threads 2 > $D/bo_50_default_60seeds.jsonl
$B --function hartmann3 six_hump_camel levy4 rastrigin4 sphere4 ackley10 --budget 50 --seeds 20 --mode default --threads 2 > $D/held_out_50.jsonl
$B --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 2 > $D/default_200_branin_hartmann6.jsonl
$B --function branin hartmann6 ackley5 rosenbrock4 styblinski_tang8 --budget 50 --seeds 20 --mode fast --threads 2 > $D/fast_50.jsonl
$B --function branin hartmann6 ackley5 rosenbrock4 styblinski_tang8 --budget 50 --seeds 20 --mode mcmc --threads 2 > $D/mcmc_50.jsonl
$B --function ackley5_int rosenbrock4_mixed styblinski_tang8_cat --budget 50 --seeds 20 --mode default --threads 2 > $D/mixed_50.jsonl
$B --function branin hartmann6 ackley5 rosenbrock4 styblinski_tang8 --budget 50 200 --seeds 20 --mode default --batch 4 --threads 2 > $D/batch4.jsonl
echo finished
