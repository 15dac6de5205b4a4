#!/bin/sh
# Six seeds of svm_boundary.json (40 evaluations each): failed evaluations and the best accuracy.
# Usage, from the repository root: bench/results/2026-12-05-s27/svm_boundary_runs.sh
dir=bench/results/2026-12-05-s27
for seed in 1 2 3 4 5 6; do
  rm -rf /tmp/svm_boundary_$seed
  build/bin/gpbo tune $dir/svm_boundary.json --out /tmp/svm_boundary_$seed --seed $seed --quiet > /dev/null 2>&1
  echo "seed $seed failed $(grep -c ',failed,' /tmp/svm_boundary_$seed/results.csv) best $(cut -d, -f6 /tmp/svm_boundary_$seed/results.csv | sort -g | tail -1)"
done
