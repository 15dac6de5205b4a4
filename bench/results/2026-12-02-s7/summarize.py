#!/usr/bin/python3
"""One line per bo_bench JSON line: median regret over all seeds and over seeds 0-19, Hartmann-6
hits (regret < 0.05: the global basin), seeds above 1e-3, and the median time per iteration.
usage: summarize.py FILE.jsonl..."""
import json, statistics, sys

FMIN = {'branin': 0.39788735772973816, 'hartmann6': -3.3223680114155147, 'ackley5': 0.0, 'rosenbrock4': 0.0,
        'styblinski_tang8': -39.16616570377142 * 8}
for path in sys.argv[1:]:
    for line in open(path):
        d = json.loads(line)
        if d['function'] not in FMIN:
            continue
        r = [b - FMIN[d['function']] for b in d['best']]
        print(f"{path.split('/')[-1]:28s} {d['function']:17s} {d['mode']:7s} {d['budget']:4d} seeds {len(r):3d}"
              f"  median {statistics.median(r):.4g}  first-20 median {statistics.median(r[:20]):.4g}"
              f"  hits {sum(x < 0.05 for x in r)}  above-1e-3 {sum(x > 1e-3 for x in r)}  iter_s {d['median_iter_s']:.3g}")
