# The optimum of Hartmann-6 under x2 + x5 <= 0.9 (configs/parameter_constraints.json), by SciPy's
# SLSQP from 2000 random feasible starts: an independent reference for gpbo's constrained runs.
import numpy as np
from scipy.optimize import minimize

A = np.array([[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
              [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]])
P = 1e-4 * np.array([[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991],
                     [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]])
alpha = np.array([1.0, 1.2, 3.0, 3.2])

def h6(x):
    return -np.sum(alpha * np.exp(-np.sum(A * (x - P) ** 2, axis=1)))

import sys
LIMIT = float(sys.argv[1]) if len(sys.argv) > 1 else 0.9
rng = np.random.default_rng(0)
best = None
cons = [{"type": "ineq", "fun": lambda x: LIMIT - x[2] - x[5]}]
for _ in range(2000):
    x0 = rng.uniform(size=6)
    if x0[2] + x0[5] > LIMIT:
        continue
    r = minimize(h6, x0, method="SLSQP", bounds=[(0, 1)] * 6, constraints=cons, options={"ftol": 1e-14, "maxiter": 500})
    if r.success and r.x[2] + r.x[5] <= LIMIT + 1e-9 and (best is None or r.fun < best.fun):
        best = r
print("constrained minimum %.10f at %s (x2 + x5 = %.10f)" % (best.fun, np.array2string(best.x, precision=6), best.x[2] + best.x[5]))
print("unconstrained minimum -3.3223680115 for comparison")
