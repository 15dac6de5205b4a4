"""A lead for later, not landed: does a two-parameter warp explain Ackley-5 better than the
Yeo-Johnson exponent alone? Shifted Box-Cox w = ((y - c)^lam - 1) / lam with c = min(y) - d sd(y),
the warped-GP log likelihood (scikit-learn ARD Matern 5/2 GP + log Jacobian) over a grid of
(d, lam), against the best Yeo-Johnson lambda (as warp_evidence.py computes it)."""
import csv, math, sys, warnings
import numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern, ConstantKernel, WhiteKernel
sys.path.insert(0, __file__.rsplit('/', 1)[0])
from warp_evidence import evidence, DOM  # noqa: E402  (the Yeo-Johnson evidence)
warnings.filterwarnings("ignore")


def gp_lml(X, t):
    k = ConstantKernel(1.0, (1e-2, 1e2)) * Matern(np.full(X.shape[1], 0.5), (1e-3, 1e2), nu=2.5) + WhiteKernel(1e-6, (1e-8, 1e-1))
    return GaussianProcessRegressor(k, n_restarts_optimizer=2, random_state=0).fit(X, t).log_marginal_likelihood_value_


def shifted_evidence(X, y, d, lam):
    c = y.min() - d * y.std()
    v = y - c
    u = np.log(v) if abs(lam) < 1e-12 else (v ** lam - 1) / lam
    m, s = u.mean(), u.std()
    jac = np.sum((lam - 1) * np.log(v)) - len(y) * math.log(s)
    return gp_lml(X, (u - m) / s) + jac


for d_ in sys.argv[1:]:
    rows = list(csv.DictReader(open(d_ + '/results.csv')))
    dom = next(v for k, v in DOM.items() if k in d_)
    xs = [k for k in rows[0] if k.startswith('x')]
    X = (np.array([[float(r[k]) for k in xs] for r in rows]) - dom[0]) / (dom[1] - dom[0])
    y = np.array([float(r['value']) for r in rows])
    yj = max((evidence(X, y, l), l) for l in (0.0, 1.0, 2.0, 2.5, 3.0, 4.0))
    best = max((shifted_evidence(X, y, d, l), d, l) for d in (0.01, 0.03, 0.1, 0.3, 1.0) for l in (0.5, 1.0, 1.5, 2.0, 3.0))
    # Both are log densities of the same y (each Jacobian is dw/dy): directly comparable.
    best_adj = best[0]
    print(d_, 'YJ best lambda %.1f: %.1f' % (yj[1], yj[0]), '| shifted Box-Cox best d %.2f lambda %.1f: %.1f' % (best[1], best[2], best_adj), flush=True)
