"""Side-by-side table of failure_bench.sh outputs: python3 failure_summary.py before.jsonl after.jsonl"""
import json
import sys

def rows(path):
    return [json.loads(line) for line in open(path)]

def label(d):
    where = f"x{int(d['fail_above'][0])} > {d['fail_above'][1]:g}" if 'fail_above' in d else f"rate {d['fail_rate']:g}"
    return f"{d['function']} {d['budget']}, {where}"

tables = [rows(p) for p in sys.argv[1:]]
print("| case | " + " | ".join(f"{p}: median, max regret (failures)" for p in sys.argv[1:]) + " |")
print("|---|" + "---|" * len(tables))
for i, d in enumerate(tables[0]):
    acq = f" {json.dumps(d['options'])}" if d.get('options') else ""
    cells = [f"{t[i]['median_regret']:.3g}, {t[i]['max_regret']:.3g} ({t[i]['failures']:.1f})" for t in tables]
    print(f"| {label(d)}{acq} | " + " | ".join(cells) + " |")
