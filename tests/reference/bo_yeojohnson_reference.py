#!/usr/bin/python3
"""Reference for bayesopt/output_transform (tests/bayesopt/test_output_transform.cpp): scipy's
Yeo-Johnson maximum-likelihood lambda and transformed values for skewed samples, after the same
pre-standardization the C++ code applies (mean, standard deviation with ddof = 1).
usage: /usr/bin/python3 bo_yeojohnson_reference.py > bo_yeojohnson_reference.json
"""
import json, sys
import numpy as np
import scipy
from scipy import stats

rng = np.random.default_rng(7)
cases = {
    "lognormal": rng.lognormal(0.0, 1.0, 40),           # heavy right tail (Rosenbrock-like)
    "rosenbrock_like": rng.chisquare(1, 30) ** 2 * 100,  # very heavy right tail
    "left_skewed": -rng.exponential(1.0, 50),
}
out = []
for name, y in cases.items():
    z = (y - y.mean()) / y.std(ddof=1)
    t, lam = stats.yeojohnson(z)
    out.append({"name": name, "y": list(map(float, y)), "lambda": float(lam), "transformed": list(map(float, t))})
json.dump({"generator": "bo_yeojohnson_reference.py", "scipy": scipy.__version__, "cases": out}, sys.stdout, indent=1)
print()
