#!/bin/bash
# gpbo tune configs/parameter_constraints.json over seeds 1-20 (run from the repository root):
# one line per seed, "seed best_value", then the median regret against SciPy's constrained optimum.
out=$(for s in $(seq 1 20); do
  build/bin/gpbo tune configs/parameter_constraints.json --seed $s --out /dev/shm/gpbo_pc_$s --quiet | awk -v s=$s '/^best value/ {print s, $3}'
  rm -rf /dev/shm/gpbo_pc_$s
done)
echo "$out"
echo "$out" | /usr/bin/python3 -c '
import sys, statistics
v = [float(l.split()[1]) for l in sys.stdin]
print("median regret %.3g; seeds at the main mode'"'"'s boundary optimum (-2.8455): %d of %d" % (statistics.median(x + 3.2020833706 for x in v), sum(x > -3.1 for x in v), len(v)))'
