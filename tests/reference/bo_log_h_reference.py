#!/usr/bin/env python3
"""60-digit reference values of the log-EI / log-PI building blocks (bayesopt/acquisition.hpp),
for tests/bayesopt/test_acquisition.cpp.

For z on a grid from -1e4 to 30 (beyond, Phi(-z) and phi/h are subnormal): log h(z) with h(z) = phi(z) + z Phi(z), d log h / dz =
Phi(z) / h(z), phi(z) / h(z) (log-EI's derivative in sd), log Phi(z) and d log Phi / dz.
Needs mpmath (Debian: apt install python3-mpmath).
usage: python3 bo_log_h_reference.py > bo_log_h_reference.json
"""
import json

import mpmath as mp

mp.mp.dps = 60


def row(z):
    z = mp.mpf(z)
    pdf = mp.npdf(z)
    cdf = mp.ncdf(z)
    h = pdf + z * cdf
    return {"z": float(z), "log_h": float(mp.log(h)), "d_log_h": float(cdf / h),
            "pdf_over_h": float(pdf / h), "log_cdf": float(mp.log(cdf) if z <= 0 else mp.log1p(-mp.ncdf(-z))), "d_log_cdf": float(pdf / cdf)}


zs = [-1e4, -1000, -200, -60, -35, -30.5, -30, -29.5, -25, -20, -15, -12, -10, -8, -6, -5, -4.5,
      -4.000001, -4, -3.999999, -3.5, -3, -2, -1.5, -1.000001, -1, -0.999999, -0.5, 0, 0.5, 1, 2, 3,
      5, 5.8, 7, 8.245, 9, 12, 20, 30]
print(json.dumps({"generator": "tests/reference/bo_log_h_reference.py (mpmath, 60 digits)",
                  "rows": [row(z) for z in zs]}, indent=1))
