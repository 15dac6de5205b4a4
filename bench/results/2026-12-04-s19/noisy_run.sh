#!/bin/bash
# Noisy objectives: log_ei vs noisy_ei vs log_nei, median regret of the recommended point.
B=build/bin/bo_bench
for budget in 50 100; do
  seeds=60; [ $budget = 100 ] && seeds=40
  for spec in "branin 2" "hartmann6 0.1" "rosenbrock4 5"; do
    set -- $spec
    for acq in log_ei noisy_ei log_nei; do
      timeout 1800 $B --function $1 --budget $budget --seeds $seeds --mode default --threads 1 --objective-noise $2 \
        --options "{\"acquisition\": \"$acq\"}" 2>>bench/results/2026-12-04-s19/run.err | sed "s/^{/{\"acq\":\"$acq\",/" >> bench/results/2026-12-04-s19/noisy_${budget}.jsonl
    done
  done
done
echo finished >> bench/results/2026-12-04-s19/run.err
