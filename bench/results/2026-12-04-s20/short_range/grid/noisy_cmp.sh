#!/bin/bash
# noisy table: short_range true vs false, log_ei and log_nei
OUT=bench/results/2026-12-04-s20/short_range/grid/noisy_cmp.jsonl
for spec in "hartmann6 0.1 50 60" "hartmann6 0.1 100 40" "hartmann6 0.3 50 40" "branin 2 50 60" "branin 2 100 40" "branin 10 50 40" "rosenbrock4 5 50 60" "rosenbrock4 5 100 40"; do
  set -- $spec
  for acq in log_ei log_nei; do for sr in true false; do
    timeout 1800 build/bin/bo_bench --function $1 --budget $3 --seeds $4 --mode default --threads 2 --objective-noise $2 \
      --options "{\"acquisition\": \"$acq\", \"short_range\": $sr}" 2>/dev/null | sed "s/^{/{\"acq\":\"$acq\",\"sr\":$sr,/" >> $OUT
  done; done
done
