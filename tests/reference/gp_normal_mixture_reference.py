#!/usr/bin/python3
"""Reference values for gp/normal_mixture and score_mixture_predictions, by SciPy.

Regenerate: /usr/bin/python3 tests/reference/gp_normal_mixture_reference.py \
    > tests/reference/gp_normal_mixture_reference.json

Equal-weight mixtures of normals at three "points" (rows), one normal per part; quantiles are
brentq roots of the mixture CDF, the density is averaged in linear space.
"""
import json

import numpy as np
from scipy import optimize, stats

# parts x rows: means and standard deviations
MEANS = [[0.0, -1.0, 10.0], [4.0, -1.2, 10.5], [1.0, -0.9, 30.0]]
SDS = [[1.0, 0.1, 2.0], [1.0, 0.3, 2.5], [0.5, 0.05, 1.0]]
TARGETS = [2.5, -2.0, 500.0]  # the last far in every part's tail
PROBABILITIES = [0.025, 0.5, 0.975]


def cdf(row, x):
    return np.mean([stats.norm.cdf(x, m[row], s[row]) for m, s in zip(MEANS, SDS)])


def quantile(row, p):
    return optimize.brentq(lambda x: cdf(row, x) - p, -1e3, 1e3, xtol=1e-14, rtol=1e-15)


def log_density(row, y):
    logs = [stats.norm.logpdf(y, m[row], s[row]) for m, s in zip(MEANS, SDS)]
    return float(np.logaddexp.reduce(logs) - np.log(len(logs)))


rows = range(len(TARGETS))
out = {
    "means": MEANS,
    "sds": SDS,
    "targets": TARGETS,
    "probabilities": PROBABILITIES,
    "quantiles": [[quantile(r, p) for p in PROBABILITIES] for r in rows],
    "cdf_at_targets": [float(cdf(r, TARGETS[r])) for r in rows],
    "log_density_at_targets": [log_density(r, TARGETS[r]) for r in rows],
}
print(json.dumps(out, indent=1))
