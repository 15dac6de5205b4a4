#!/usr/bin/env bash
# #4's figures at this session's final code (escape escalation landed), from the repository root
# (build/ a Release build). Regrets do not depend on the machine; timing.sh holds the timing runs
# (quiet machine). Optuna TPE takes about 35 s for its 100 runs.
set -euo pipefail
out=bench/results/2026-12-03/final
B=build/bin/bo_bench
$B --budget 50 --seeds 20 --mode default --threads 2 > $out/default_50.jsonl
$B --budget 200 --seeds 20 --mode default --threads 2 > $out/default_200_20seeds.jsonl
$B --function hartmann6 rosenbrock4 --budget 200 --seeds 60 --mode default --threads 2 > $out/default_200_60seeds.jsonl
$B --budget 50 --seeds 20 --mode fast --threads 2 > $out/fast_50.jsonl
$B --function hartmann6 --budget 200 --seeds 60 --mode fast --threads 2 > $out/fast_hartmann6_200_60seeds.jsonl
$B --budget 50 --seeds 4 --mode mcmc --threads 2 > $out/mcmc_50_4seeds.jsonl
$B --function ackley5_int rosenbrock4_mixed styblinski_tang8_cat --budget 50 --seeds 20 --mode default --threads 2 > $out/mixed_50.jsonl
$B --function ackley5 rosenbrock4 --budget 50 --seeds 60 --mode default --threads 2 > $out/ackley5_rosenbrock4_50_60seeds.jsonl
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do
  /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20
done > $out/optuna_50.jsonl 2> $out/optuna.err
$B --budget 50 200 --batch 4 --seeds 20 --mode default --threads 2 > $out/batch_q4.jsonl
$B --function hartmann6 --budget 50 --seeds 100 --mode default --threads 2 > $out/hartmann6_50_100seeds.jsonl
$B --function branin --budget 50 --objective-noise 2 --seeds 20 --mode default --threads 2 > $out/branin_noise2_50.jsonl
/usr/bin/python3 bench/results/2026-12-02-s8/summarize.py $out/*.jsonl | sed "s#$out/##" > $out/summary.txt
