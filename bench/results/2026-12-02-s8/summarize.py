#!/usr/bin/env python3
"""One line per bo_bench JSON line in the given files: function, mode, budget, median regret,
quartiles, seeds within 0.05 of the optimum ("hits") and seeds below a threshold."""
import json
import sys

OPT = {"branin": 0.39788735772973816, "hartmann6": -3.322368011391339, "ackley5": 0.0,
       "rosenbrock4": 0.0, "styblinski_tang8": -39.16616570377142 * 8}

for path in sys.argv[1:]:
    for line in open(path):
        d = json.loads(line)
        if "mode" not in d:  # a peer line (bo_optuna.py)
            print(f"{path}: {d['function']} optuna {d.get('budget', '')} median {d['median_regret']:.4g}")
            continue
        f = d["function"]
        regrets = sorted(b - OPT[f] for b in d["best"]) if f in OPT else None
        extra = ""
        if regrets is not None:
            extra = f" hits(<0.05) {sum(r < 0.05 for r in regrets)}/{len(regrets)}"
            if f == "ackley5":
                extra += f" below 1.32: {sum(r < 1.32 for r in regrets)}"
            if f in ("branin", "hartmann6"):
                extra += f" >1e-3: {sum(r > 1e-3 for r in regrets)} max {regrets[-1]:.3g}"
        print(f"{path}: {f} {d['mode']} {d['budget']} median {d['median_regret']:.4g} "
              f"q25 {d['q25_regret']:.4g} q75 {d['q75_regret']:.4g}{extra} iter_s {d['median_iter_s']:.4g} run_s {d['median_run_s']:.4g}")
