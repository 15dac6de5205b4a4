#!/bin/bash
# The README's log_nei cells, rerun on 3ac6bca (shared-covariance fantasies); same commands as
# bench/results/2026-12-04-s19/noisy_run.sh and noisy_high_run.sh.
D=bench/results/2026-12-04-s20
for spec in "hartmann6 0.1 100 40" "hartmann6 0.3 50 40" "branin 2 100 40" "branin 10 50 40" "rosenbrock4 5 100 40"; do
  set -- $spec
  timeout 1800 build/bin/bo_bench --function $1 --budget $3 --seeds $4 --mode default --threads 1 --objective-noise $2 \
    --options '{"acquisition": "log_nei"}' 2>>$D/run.err | sed "s/^{/{\"acq\":\"log_nei\",/" >> $D/noisy_log_nei_rerun.jsonl
done
