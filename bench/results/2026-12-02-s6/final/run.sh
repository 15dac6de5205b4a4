#!/usr/bin/env bash
# #4's figures at the end of the 2026-12-02 sixth session, at the final library code. Run from the
# repository root on a quiet machine after a Release build. Optuna's TPE lines, in the same sitting:
#   for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
#     /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > optuna_50.jsonl
set -euo pipefail
out=bench/results/2026-12-02-s6/final
all=(branin hartmann6 ackley5 rosenbrock4 styblinski_tang8)
build/bin/bo_bench --function "${all[@]}" --budget 50 --seeds 20 --mode default --threads 2 > $out/default_50.jsonl
build/bin/bo_bench --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 2 > $out/default_200_20seeds.jsonl
build/bin/bo_bench --function "${all[@]}" --budget 200 --seeds 2 --mode default --threads 1 > $out/default_200_overhead.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $out/fast_hartmann6_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $out/mcmc_hartmann6_200.jsonl
build/bin/bo_bench --function "${all[@]}" --budget 50 --seeds 20 --mode fast --threads 2 > $out/fast_50.jsonl
build/bin/bo_bench --function "${all[@]}" --budget 50 --seeds 4 --mode mcmc --threads 2 > $out/mcmc_50_4seeds.jsonl
build/bin/bo_bench --function ackley5_int rosenbrock4_mixed styblinski_tang8_cat --budget 50 --seeds 20 --mode default --threads 2 > $out/mixed_50.jsonl
