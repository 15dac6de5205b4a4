#!/usr/bin/python3
"""Medians, quartiles and worst seeds of the harness's JSON lines, per transform (file after file)."""
import json, statistics, sys

for path in sys.argv[1:]:
    rows = [json.loads(line) for line in open(path)]
    print(path)
    for tr in dict.fromkeys(r["tr"] for r in rows):
        rec = sorted(r["regret_recommended"] for r in rows if r["tr"] == tr)
        ask = statistics.median(r["mean_ask_s"] for r in rows if r["tr"] == tr)
        q = statistics.quantiles(rec, n=4)
        print(f"  {tr:14s} seeds {len(rec)}  recommended regret median {statistics.median(rec):.4g}"
              f"  q25 {q[0]:.4g}  q75 {q[2]:.4g}  max {rec[-1]:.4g}  mean ask {ask:.4f} s")
