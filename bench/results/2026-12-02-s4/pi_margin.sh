#!/usr/bin/env bash
# log-PI with and without the improvement margin xi (bo_bench, default mode).
# Run from the repository root after building: bench/results/2026-12-02-s4/pi_margin.sh
set -euo pipefail
out=bench/results/2026-12-02-s4
for xi in 0 0.003 0.01 0.03 null; do
  build/bin/bo_bench --budget 50 --seeds 40 --mode default --threads 2 \
    --options "{\"acquisition\": \"log_pi\", \"xi\": $xi}" > "$out/pi_xi_${xi}_50.jsonl"
done
for xi in 0 null; do
  build/bin/bo_bench --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 2 \
    --options "{\"acquisition\": \"log_pi\", \"xi\": $xi}" > "$out/pi_xi_${xi}_200.jsonl"
done
# log-EI with a margin, for the default of 0 there (20 seeds, as #4's benchmark)
for xi in 0.01 0.05; do
  build/bin/bo_bench --budget 50 --seeds 20 --mode default --threads 2 \
    --options "{\"xi\": $xi}" > "$out/logei_xi_${xi}_50.jsonl"
done
