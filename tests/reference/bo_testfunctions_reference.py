#!/usr/bin/python3
"""Reference values of the built-in BO test functions (tests/bayesopt/test_test_functions.cpp).

The five benchmark functions come from ../shared/peers/testfuncs.py (the peers' definitions);
the classics are written here in numpy from their textbook definitions. For each function:
its domain, optimum value, and the values at 6 random points of the domain (numpy seed 2024)
plus at the documented global minimizer.
usage: /usr/bin/python3 bo_testfunctions_reference.py > bo_testfunctions_reference.json
"""
import json, os, sys
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/peers"))
sys.path.insert(0, "/work/shared/peers")
from testfuncs import FUNCTIONS  # noqa: E402


def hartmann3(x):
    A = np.array([[3, 10, 30], [0.1, 10, 35], [3, 10, 30], [0.1, 10, 35]])
    P = 1e-4 * np.array([[3689, 1170, 2673], [4699, 4387, 7470], [1091, 8732, 5547], [381, 5743, 8828]])
    alpha = np.array([1.0, 1.2, 3.0, 3.2])
    return -float(np.sum(alpha * np.exp(-np.sum(A * (np.asarray(x) - P)**2, axis=1))))


def six_hump_camel(x):
    a, b = x
    return (4 - 2.1 * a**2 + a**4 / 3) * a**2 + a * b + (-4 + 4 * b**2) * b**2


def levy(x):
    w = 1 + (np.asarray(x) - 1) / 4
    return float(np.sin(np.pi * w[0])**2 + np.sum((w[:-1] - 1)**2 * (1 + 10 * np.sin(np.pi * w[:-1] + 1)**2))
                 + (w[-1] - 1)**2 * (1 + np.sin(2 * np.pi * w[-1])**2))


def rastrigin(x):
    x = np.asarray(x)
    return float(10 * len(x) + np.sum(x**2 - 10 * np.cos(2 * np.pi * x)))


def sphere(x):
    return float(np.sum(np.asarray(x)**2))


CLASSICS = {
    "hartmann3": (hartmann3, [0] * 3, [1] * 3, -3.86278214782076, [0.114614, 0.555649, 0.852547]),
    "six_hump_camel": (six_hump_camel, [-3, -2], [3, 2], -1.031628453489877, [0.0898420131003, -0.7126564030207]),
    "levy4": (levy, [-10] * 4, [10] * 4, 0.0, [1] * 4),
    "rastrigin4": (rastrigin, [-5.12] * 4, [5.12] * 4, 0.0, [0] * 4),
    "sphere4": (sphere, [-5.12] * 4, [5.12] * 4, 0.0, [0] * 4),
}
ARGMIN = {"branin": [np.pi, 2.275], "hartmann6": [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573],
          "ackley5": [0] * 5, "rosenbrock4": [1] * 4, "styblinski_tang8": [-2.903534027771178] * 8}

rng = np.random.default_rng(2024)
out = []
table = {k: (f, lo, hi, fmin, ARGMIN[k]) for k, (f, lo, hi, fmin) in FUNCTIONS.items()}
table.update(CLASSICS)
for name, (f, lo, hi, fmin, xs) in table.items():
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    pts = [list(lo + (hi - lo) * rng.random(len(lo))) for _ in range(6)] + [list(map(float, xs))]
    out.append({"name": name, "lower": list(lo), "upper": list(hi), "fmin": fmin,
                "points": pts, "values": [float(f(np.asarray(p))) for p in pts]})
json.dump({"generator": "bo_testfunctions_reference.py", "functions": out}, sys.stdout, indent=1)
print()
