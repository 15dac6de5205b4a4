#!/usr/bin/python3
"""Optuna TPE on the built-in test functions that the defaults were NOT tuned on.

The defaults of gpbo were chosen on the five functions of ../shared/peers/testfuncs.py. This runs
Optuna's TPE sampler, as ../shared/peers/bo_optuna.py does, on the other built-ins
(bayesopt/test_functions.cpp, same domains and optima) to see whether gpbo's lead holds there.

usage: optuna_held_out.py FUNCTION BUDGET [--seeds K]
       optuna_held_out.py --check RESULTS_CSV FUNCTION   (compares values gpbo wrote with ours)
Prints one JSON line like bo_optuna.py: per-seed best values, median regret, median wall seconds.
"""
import argparse, csv, json, math, os, statistics, sys, time

# Ackley as the shared peers define it (../shared/peers/testfuncs.py, beside this repository).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "peers"))
from testfuncs import ackley, rosenbrock  # noqa: E402


def hartmann(x, A, P):
    alpha = [1.0, 1.2, 3.0, 3.2]
    return -sum(alpha[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2 for j in range(len(x)))) for i in range(4))


H3_A = [[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]]
H3_P = [[v * 1e-4 for v in row] for row in [[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]]]


def hartmann3(x):
    return hartmann(x, H3_A, H3_P)


def six_hump_camel(x):
    a, b = x[0] ** 2, x[1] ** 2
    return (4 - 2.1 * a + a * a / 3) * a + x[0] * x[1] + (-4 + 4 * b) * b


def levy(x):
    w = [1 + (v - 1) / 4 for v in x]
    s = math.sin(math.pi * w[0]) ** 2
    for i in range(len(w) - 1):
        s += (w[i] - 1) ** 2 * (1 + 10 * math.sin(math.pi * w[i] + 1) ** 2)
    return s + (w[-1] - 1) ** 2 * (1 + math.sin(2 * math.pi * w[-1]) ** 2)


def rastrigin(x):
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)


def sphere(x):
    return sum(v * v for v in x)


FUNCTIONS = {  # name: (f, lower, upper, global minimum)
    "hartmann3": (hartmann3, [0] * 3, [1] * 3, -3.86278214782076),
    "six_hump_camel": (six_hump_camel, [-3, -2], [3, 2], -1.031628453489877),
    "levy4": (levy, [-10] * 4, [10] * 4, 0.0),
    "rastrigin4": (rastrigin, [-5.12] * 4, [5.12] * 4, 0.0),
    "sphere4": (sphere, [-5.12] * 4, [5.12] * 4, 0.0),
    "ackley10": (ackley, [-32.768] * 10, [32.768] * 10, 0.0),
    # Higher dimensions (2026-12-05): the domains of the built-in families.
    "ackley20": (ackley, [-32.768] * 20, [32.768] * 20, 0.0),
    "levy20": (levy, [-10] * 20, [10] * 20, 0.0),
    "rosenbrock20": (rosenbrock, [-5] * 20, [10] * 20, 0.0),
}


def run(name, budget, seed):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    f, lo, hi, _ = FUNCTIONS[name]
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    study.optimize(lambda t: f([t.suggest_float(f"x{i}", l, h) for i, (l, h) in enumerate(zip(lo, hi))]), n_trials=budget)
    return study.best_value


def check(path, name):
    """Largest difference between gpbo's values in a results.csv and this file's functions."""
    f = FUNCTIONS[name][0]
    worst = 0.0
    with open(path) as fh:
        for row in csv.DictReader(fh):
            if row.get("status", "ok") != "ok":
                continue
            x = [float(row[f"x{i}"]) for i in range(len(FUNCTIONS[name][1]))]
            worst = max(worst, abs(f(x) - float(row["value"])) / max(1.0, abs(f(x))))
    print(json.dumps({"function": name, "largest_relative_difference": worst}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("function", choices=sorted(FUNCTIONS)); p.add_argument("budget", type=int, nargs="?")
    p.add_argument("--seeds", type=int, default=20); p.add_argument("--check", metavar="RESULTS_CSV")
    a = p.parse_args()
    if a.check:
        return check(a.check, a.function)
    import optuna
    best, times = [], []
    for seed in range(a.seeds):
        t0 = time.perf_counter(); best.append(run(a.function, a.budget, seed)); times.append(time.perf_counter() - t0)
    fmin = FUNCTIONS[a.function][3]
    print(json.dumps({"peer": f"optuna-{optuna.__version__}-tpe", "function": a.function, "budget": a.budget,
                      "median_regret": statistics.median(b - fmin for b in best), "median_wall_s": statistics.median(times),
                      "best": best}))


if __name__ == "__main__":
    main()
