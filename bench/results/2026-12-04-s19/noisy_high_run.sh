#!/bin/bash
# Higher noise: Branin sd 10, Hartmann-6 sd 0.3; 50 evaluations, 40 seeds.
B=build/bin/bo_bench
for spec in "branin 10" "hartmann6 0.3"; do
  set -- $spec
  for acq in log_ei noisy_ei log_nei; do
    timeout 1800 $B --function $1 --budget 50 --seeds 40 --mode default --threads 1 --objective-noise $2 \
      --options "{\"acquisition\": \"$acq\"}" 2>>bench/results/2026-12-04-s19/run2.err | sed "s/^{/{\"acq\":\"$acq\",/" >> bench/results/2026-12-04-s19/noisy_high_50.jsonl
  done
done
echo finished >> bench/results/2026-12-04-s19/run2.err
