"""Median regret per function of each bo_bench output in this directory (one line per file)."""
import glob
import json

for path in sorted(glob.glob("*.jsonl")):
    rows = [json.loads(line) for line in open(path)]
    cells = " ".join(f"{r['function']}={r['median_regret']:.4g}" for r in rows)
    errors = sum(len(r.get("errors", [])) for r in rows)
    print(f"{path}: {cells} errors={errors}")
