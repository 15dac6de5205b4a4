#!/usr/bin/python3
"""Optuna TPE on Hartmann-6 under x2 + x5 <= 0.8 (configs/parameter_constraints.json), 50 trials a
seed. Optuna has no parameter constraints: the usual way is TPESampler's constraints_func, which
learns to avoid violating trials but still spends evaluations on them. Best = best feasible value.
usage: optuna_parameter_constraint.py [SEEDS]"""
import json, statistics, sys, os
import optuna
sys.path.insert(0, "/work/shared/peers")
from testfuncs import FUNCTIONS

optuna.logging.set_verbosity(optuna.logging.WARNING)
f = FUNCTIONS["hartmann6"][0]
LIMIT, OPTIMUM = 0.8, -3.2020833706  # hartmann6_constrained_optimum.txt


def objective(t):
    x = [t.suggest_float(f"x{i}", 0.0, 1.0) for i in range(6)]
    t.set_user_attr("c", x[2] + x[5] - LIMIT)
    return f(x)


best, wasted = [], []
for seed in range(int(sys.argv[1]) if len(sys.argv) > 1 else 20):
    s = optuna.samplers.TPESampler(seed=seed, constraints_func=lambda t: [t.user_attrs["c"]])
    study = optuna.create_study(sampler=s)
    study.optimize(objective, n_trials=50)
    feasible = [t.value for t in study.trials if t.user_attrs["c"] <= 0]
    best.append(min(feasible) if feasible else float("inf"))
    wasted.append(50 - len(feasible))
print(json.dumps({"peer": f"optuna-{optuna.__version__}-tpe-constraints_func", "median_regret": statistics.median(b - OPTIMUM for b in best),
                  "median_violating_trials": statistics.median(wasted), "best": best}))
