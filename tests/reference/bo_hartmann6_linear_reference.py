#!/usr/bin/python3
"""Reference optimum of the built-in hartmann6_linear (bayesopt/test_functions.cpp): Hartmann-6
(from ../shared/peers/testfuncs.py) under the linear constraint x2 + x5 <= 0.8, by SciPy's SLSQP
from 2000 random feasible starts (numpy seed 0); the best is then polished once more.
usage: /usr/bin/python3 bo_hartmann6_linear_reference.py > bo_hartmann6_linear_reference.json
"""
import json, os, sys
import numpy as np
from scipy.optimize import minimize

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../shared/peers"))
sys.path.insert(0, "/work/shared/peers")
from testfuncs import FUNCTIONS  # noqa: E402

f = FUNCTIONS["hartmann6"][0]
LIMIT = 0.8
cons = [{"type": "ineq", "fun": lambda x: LIMIT - x[2] - x[5], "jac": lambda x: np.array([0, 0, -1, 0, 0, -1.0])}]
rng = np.random.default_rng(0)
best = None
for _ in range(2000):
    x0 = rng.uniform(size=6)
    if x0[2] + x0[5] > LIMIT:
        continue
    r = minimize(lambda x: f(list(x)), x0, method="SLSQP", bounds=[(0, 1)] * 6, constraints=cons,
                 options={"ftol": 1e-15, "maxiter": 1000})
    if r.success and r.x[2] + r.x[5] <= LIMIT + 1e-12 and (best is None or r.fun < best.fun):
        best = r
x = best.x.copy()
x[5] = min(x[5], LIMIT - x[2])  # exactly on (or inside) the bound
print(json.dumps({"function": "hartmann6 under x2 + x5 <= 0.8", "fmin": f(list(x)), "argmin": [float(v) for v in x],
                  "bound_slack": LIMIT - x[2] - x[5]}, indent=1))
