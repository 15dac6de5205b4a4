#!/usr/bin/python3
"""Optuna's TPE with constraints (constraints_func) on bo_bench's constrained problems, side by side.

usage: bo_optuna_constrained.py PROBLEM BUDGET [--seeds K] [--sampler tpe|random]
PROBLEM: gramacy_toy | tension_spring | hartmann6_linear (bayesopt/test_functions.hpp: same
domains, constraints c_k(x) <= 0, and optima). hartmann6_linear's x2 + x5 <= 0.8 is a constraint
on the parameters, which Optuna cannot impose: it is given to constraints_func like the others,
so its trials may break it. Optuna's TPE with constraints_func (Optuna >= 3.0) prefers feasible
trials; random search ignores the constraints. The best value of a run is the smallest value among
its feasible trials (infinity, printed null, when it has none). Prints one JSON line in the format
of bo_bench, with feasible_seeds, median_first_feasible and median_infeasible_trials.
"""
import argparse, json, math, os, statistics, sys, time

import optuna

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
from testfuncs import FUNCTIONS  # noqa: E402

optuna.logging.set_verbosity(optuna.logging.WARNING)


def gramacy_toy(t):
    x0, x1 = t.suggest_float("x0", 0, 1), t.suggest_float("x1", 0, 1)
    c1 = 1.5 - x0 - 2 * x1 - 0.5 * math.sin(2 * math.pi * (x0 * x0 - 2 * x1))
    c2 = x0 * x0 + x1 * x1 - 1.5
    return x0 + x1, [c1, c2]


def tension_spring(t):
    d, D, N = t.suggest_float("x0", 0.05, 2.0), t.suggest_float("x1", 0.25, 1.3), t.suggest_float("x2", 2.0, 15.0)
    shear = math.inf if d == D else (4 * D * D - d * D) / (12566 * (D * d ** 3 - d ** 4)) + 1 / (5108 * d * d) - 1
    c = [1 - D ** 3 * N / (71785 * d ** 4), shear, 1 - 140.45 * d / (D * D * N), (d + D) / 1.5 - 1]
    return (N + 2) * D * d * d, c


def hartmann6_linear(t):
    x = [t.suggest_float(f"x{i}", 0.0, 1.0) for i in range(6)]
    return FUNCTIONS["hartmann6"][0](x), [x[2] + x[5] - 0.8]


PROBLEMS = {"gramacy_toy": (gramacy_toy, 0.5997880520100418), "tension_spring": (tension_spring, 0.012665232788319242),
            "hartmann6_linear": (hartmann6_linear, -3.2020833705799583)}


def run(problem, budget, seed, sampler_name):
    objective = PROBLEMS[problem][0]

    def trial_value(t):
        value, c = objective(t)
        # Optuna wants finite constraint values: an undefined one counts as badly violated.
        t.set_user_attr("c", [v if math.isfinite(v) else 1e300 for v in c])
        return value

    sampler = (optuna.samplers.TPESampler(seed=seed, constraints_func=lambda ft: ft.user_attrs["c"])
               if sampler_name == "tpe" else optuna.samplers.RandomSampler(seed=seed))
    study = optuna.create_study(sampler=sampler)
    study.optimize(trial_value, n_trials=budget)
    best, first, infeasible = math.inf, 0, 0
    for i, ft in enumerate(study.trials):
        if all(v <= 0 for v in ft.user_attrs["c"]):
            best = min(best, ft.value)
            first = first or i + 1
        else:
            infeasible += 1
    return best, first, infeasible


def finite_or_none(v):
    return v if math.isfinite(v) else None  # JSON has no infinity


def main():
    p = argparse.ArgumentParser()
    p.add_argument("problem", choices=sorted(PROBLEMS)); p.add_argument("budget", type=int)
    p.add_argument("--seeds", type=int, default=20); p.add_argument("--sampler", default="tpe", choices=["tpe", "random"])
    a = p.parse_args()
    fmin = PROBLEMS[a.problem][1]
    best, firsts, infeasible, times = [], [], [], []
    for seed in range(a.seeds):
        t0 = time.perf_counter()
        b, first, n_infeasible = run(a.problem, a.budget, seed, a.sampler)
        times.append(time.perf_counter() - t0)
        best.append(b)
        infeasible.append(n_infeasible)
        if first: firsts.append(first)
    print(json.dumps({"peer": f"optuna-{optuna.__version__}-{a.sampler}", "function": a.problem, "budget": a.budget,
                      "seeds": a.seeds, "median_regret": finite_or_none(statistics.median(b - fmin for b in best)),
                      "feasible_seeds": len(firsts), "median_first_feasible": statistics.median(firsts) if firsts else None,
                      "median_infeasible_trials": statistics.median(infeasible),
                      "median_wall_s": statistics.median(times), "best": [finite_or_none(b) for b in best]}))


if __name__ == "__main__":
    main()
