#!/bin/bash
# gpbo (default mode) and Optuna TPE at 50 evaluations, 20 seeds, on the built-in functions the
# defaults were not tuned on (bench/held_out/optuna_held_out.py).
D=bench/results/2026-12-04-s20
F="hartmann3 six_hump_camel levy4 rastrigin4 sphere4 ackley10"
timeout 3000 build/bin/bo_bench --function $F --budget 50 --seeds 20 --mode default --threads 1 > $D/held_out_gpbo_50.jsonl 2>>$D/run.err
for f in $F; do
  timeout 1800 /usr/bin/python3 bench/held_out/optuna_held_out.py $f 50 --seeds 20 >> $D/held_out_optuna_50.jsonl 2>>$D/optuna.err
done
echo finished >> $D/run.err
