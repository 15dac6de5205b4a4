#!/usr/bin/python3
"""Reference for tail R-hat's fold around R's median (tests/mcmc/test_diagnostics.cpp): 4 chains x 4
draws whose two middle draws fold to a tie only when the median is the mean of the two middle
draws, R's median(), as posterior's fold_draws takes it. A port of posterior 1.4's rhat (rank
normalization, split chains, max of bulk and folded); numpy's median is R's here.
usage: /usr/bin/python3 mcmc_fold_median_reference.py > mcmc_fold_median_reference.json
"""
import json, sys
import numpy as np
import scipy
from scipy.stats import norm, rankdata

draws = np.array([[0.59661207, 1.06827648, -0.69202177, 3.19811377],
                  [-1.93950456, -0.73555136, 2.42035629, -2.68120678],
                  [2.32319069, 3.12344247, -2.09912371, 5.65441039],
                  [-2.06206408, -4.63426309, 3.42159798, -3.2888401]])  # iterations x chains


def split(x):
    half = x.shape[0] // 2
    return np.hstack([x[:half], x[x.shape[0] - half:]])


def z_scale(x):
    ranks = rankdata(x.ravel(), method='average').reshape(x.shape)
    return norm.ppf((ranks - 0.375) / (x.size - 0.75 + 1))


def rhat_basic(x):
    n = x.shape[0]
    between = n * np.var(x.mean(0), ddof=1)
    within = np.mean(np.var(x, axis=0, ddof=1))
    return np.sqrt((between / within + n - 1) / n)


median = np.median(draws)
folded = np.abs(draws - median)
bulk, tail = rhat_basic(z_scale(split(draws))), rhat_basic(z_scale(split(folded)))
out = {
    "generator": "mcmc_fold_median_reference.py",
    "numpy": np.__version__,
    "scipy": scipy.__version__,
    "draws": draws.tolist(),
    "median": median,
    "rhat_bulk": bulk,
    "rhat_tail": tail,
    "rhat": max(bulk, tail),
}
json.dump(out, sys.stdout, indent=1)
print()
