#!/usr/bin/python3
# Markdown table of the noisy-objective runs: median (q25-q75) regret of the recommended point's
# noise-free value, and the time per iteration at the end, per function, budget and acquisition.
import json
import sys

rows = {}
for path in sys.argv[1:]:
    for line in open(path):
        if line.strip():
            r = json.loads(line)
            rows.setdefault((r["function"], r["objective_noise"], r["budget"], r["seeds"]), {})[r["acq"]] = r
acqs = ["log_ei", "noisy_ei", "log_nei"]
print("| function, noise sd, budget, seeds | " + " | ".join(acqs) + " |")
print("|---|" + "---|" * len(acqs))
for key, by in rows.items():
    cells = []
    for a in acqs:
        r = by.get(a)
        cells.append("-" if r is None else "%.3g (%.3g-%.3g), %.3f s/iter%s" % (
            r["median_regret"], r["q25_regret"], r["q75_regret"], r["median_iter_s"],
            "" if not r["errors"] else ", %d errors" % len(r["errors"])))
    print("| %s %g, %d, %d | " % key + " | ".join(cells) + " |")
