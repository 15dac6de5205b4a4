#!/bin/bash
# How many model-based suggestions (after the 10 design points) put a coordinate on a bound of the
# domain: gpbo tune on four built-ins, seeds 0-9, 50 evaluations. From the repository root.
set -e
W=$(mktemp -d)
for f in hartmann6 styblinski_tang8 ackley5 rosenbrock4; do
  for s in 0 1 2 3 4 5 6 7 8 9; do
    echo "{\"objective\": {\"builtin\": \"$f\"}, \"budget\": 50, \"seed\": $s}" > $W/c.json
    build/bin/gpbo tune $W/c.json --out $W/r_${f}_$s --quiet > /dev/null
  done
done
/usr/bin/python3 - "$W" <<'PY'
import csv, glob, sys
W = sys.argv[1]
dom = {'hartmann6': (0, 1), 'styblinski_tang8': (-5, 5), 'ackley5': (-32.768, 32.768), 'rosenbrock4': (-5, 10)}
for f, (lo, hi) in dom.items():
    tot = on = 0
    for p in sorted(glob.glob(f'{W}/r_{f}_*/results.csv')):
        for r in list(csv.DictReader(open(p)))[10:]:
            xs = [float(v) for k, v in r.items() if k.startswith('x')]
            tot += 1
            on += any(abs(x - lo) < 1e-9 or abs(x - hi) < 1e-9 for x in xs)
    print(f, 'model-based suggestions', tot, 'with a coordinate on a bound', on, '(%.0f%%)' % (100 * on / tot))
PY
rm -rf $W
