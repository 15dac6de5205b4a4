#!/usr/bin/python3
"""Optuna (TPE or random search) on bo_bench's mixed-space problems, for side-by-side comparison.

usage: bo_optuna_mixed.py PROBLEM BUDGET [--seeds K] [--sampler tpe|random]
PROBLEM: ackley5_int | rosenbrock4_mixed | styblinski_tang8_cat | jenatton (bayesopt/test_functions.hpp).
jenatton's space is conditional: Optuna asks for a parameter only on the branch that uses it
(define-by-run), as gpbo's "when" conditions do.
The spaces are the same as gpbo's: integers through suggest_int, categorical coordinates through
suggest_categorical over the integers -5..5 (no order), reals through suggest_float. The
functions are the shared peers' (../../../shared/peers/testfuncs.py). Prints one JSON line in the
format of ../../../shared/peers/bo_optuna.py.
"""
import argparse, json, os, statistics, sys, time

import optuna

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
from testfuncs import ackley, rosenbrock, styblinski_tang  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def ackley5_int(t):
    return ackley([t.suggest_int(f"x{i}", -32, 32) for i in range(5)])


def rosenbrock4_mixed(t):
    return rosenbrock([t.suggest_int(f"x{i}", -5, 10) for i in range(2)] +
                      [t.suggest_float(f"x{i}", -5, 10) for i in range(2, 4)])


def styblinski_tang8_cat(t):
    return styblinski_tang([t.suggest_categorical(f"x{i}", list(range(-5, 6))) for i in range(4)] +
                           [t.suggest_float(f"x{i}", -5, 5) for i in range(4, 8)])


def jenatton(t):
    # Jenatton et al. (2017), section 5.1: the same tree as gpbo's test function.
    if t.suggest_categorical("x0", [0, 1]) == 0:
        shared = t.suggest_float("x7", 0, 1)
        if t.suggest_categorical("x1", [0, 1]) == 0:
            return t.suggest_float("x3", -1, 1) ** 2 + 0.1 + shared
        return t.suggest_float("x4", -1, 1) ** 2 + 0.2 + shared
    shared = t.suggest_float("x8", 0, 1)
    if t.suggest_categorical("x2", [0, 1]) == 0:
        return t.suggest_float("x5", -1, 1) ** 2 + 0.3 + shared
    return t.suggest_float("x6", -1, 1) ** 2 + 0.4 + shared


PROBLEMS = {  # name: (objective of a trial, minimum over the space)
    "ackley5_int": (ackley5_int, 0.0),
    "rosenbrock4_mixed": (rosenbrock4_mixed, 0.0),
    "styblinski_tang8_cat": (styblinski_tang8_cat, 4 * -39.0 + 4 * -39.16616570377142),
    "jenatton": (jenatton, 0.1),
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("problem", choices=sorted(PROBLEMS)); p.add_argument("budget", type=int)
    p.add_argument("--seeds", type=int, default=10); p.add_argument("--sampler", default="tpe", choices=["tpe", "random"])
    a = p.parse_args()
    objective, fmin = PROBLEMS[a.problem]
    best, times = [], []
    for seed in range(a.seeds):
        sampler = optuna.samplers.TPESampler(seed=seed) if a.sampler == "tpe" else optuna.samplers.RandomSampler(seed=seed)
        study = optuna.create_study(sampler=sampler)
        t0 = time.perf_counter()
        study.optimize(objective, n_trials=a.budget)
        times.append(time.perf_counter() - t0)
        best.append(study.best_value)
    print(json.dumps({"peer": f"optuna-{optuna.__version__}-{a.sampler}", "function": a.problem, "budget": a.budget,
                      "median_regret": statistics.median(b - fmin for b in best), "median_wall_s": statistics.median(times),
                      "best": best}))


if __name__ == "__main__":
    main()
