#!/usr/bin/python3
# usage: /usr/bin/python3 bo_constrained_optima.py > bo_constrained_optima.txt
# Feasible argmin / fmin of gpbo's gramacy_toy and tension_spring to double precision: SciPy's
# SLSQP from the earlier stored minimizers with tight tolerance, on constraints tightened by a
# margin (c_k(x) <= -margin), so that the minimizer meets every constraint in double arithmetic
# (the 8-digit minimizers broke one by 2.3e-9 and 5.9e-8) and fmin moves by far less than 1e-9.
import numpy as np
from scipy.optimize import minimize

def gram_f(x): return x[0] + x[1]
def gram_c(x):
    return np.array([1.5 - x[0] - 2*x[1] - 0.5*np.sin(2*np.pi*(x[0]**2 - 2*x[1])), x[0]**2 + x[1]**2 - 1.5])
def spring_f(x): return (x[2] + 2) * x[1] * x[0]**2
def spring_c(x):
    d, D, N = x
    shear = (4*D*D - d*D) / (12566*(D*d**3 - d**4)) + 1/(5108*d*d) - 1
    return np.array([1 - D**3*N/(71785*d**4), shear, 1 - 140.45*d/(D*D*N), (d + D)/1.5 - 1])

margin = 1e-12
for name, f, c, x0, bounds in [
        ("gramacy_toy", gram_f, gram_c, [0.19512269, 0.40466536], [(0, 1), (0, 1)]),
        ("tension_spring", spring_f, spring_c, [0.05168906, 0.35671774, 11.28896592], [(0.05, 2), (0.25, 1.3), (2, 15)])]:
    r = minimize(f, np.array(x0), method='SLSQP', bounds=bounds,
                 constraints=[{'type': 'ineq', 'fun': lambda x: -c(x) - margin}], options=dict(ftol=1e-15, maxiter=2000))
    assert np.all(c(r.x) <= 0), c(r.x)
    print(name, "argmin", [repr(float(v)) for v in r.x], "fmin", repr(float(f(r.x))), "constraints", c(r.x))
