"""Warped-GP evidence over the Yeo-Johnson exponent, independent of gpbo (scikit-learn GP).
log p(y) = LML of w(y) under an ARD Matern-5/2 GP + sum log w'(y_i), w = standardize o YJ_lambda o standardize."""
import csv, sys, glob, math, warnings
import numpy as np
from scipy import stats
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import Matern, ConstantKernel, WhiteKernel
warnings.filterwarnings("ignore")
DOM = {'ackley': (-32.768, 32.768), 'hartmann6': (0, 1), 'styblinski': (-5, 5), 'rosenbrock': (-5, 10)}

def yj(z, l):
    out = np.empty_like(z)
    p = z >= 0
    out[p] = np.log1p(z[p]) if abs(l) < 1e-12 else ((z[p] + 1) ** l - 1) / l
    out[~p] = -np.log1p(-z[~p]) if abs(l - 2) < 1e-12 else -((1 - z[~p]) ** (2 - l) - 1) / (2 - l)
    return out

def yj_deriv(z, l):
    return np.where(z >= 0, (z + 1) ** (l - 1), (1 - z) ** (1 - l))

def evidence(X, y, l):
    z = (y - y.mean()) / y.std()
    w = yj(z, l)
    m2, s2 = w.mean(), w.std()
    t = (w - m2) / s2
    jac = np.sum(np.log(yj_deriv(z, l))) - len(y) * math.log(y.std() * s2)
    k = ConstantKernel(1.0, (1e-2, 1e2)) * Matern(np.full(X.shape[1], 0.5), (1e-3, 1e2), nu=2.5) + WhiteKernel(1e-6, (1e-8, 1e-1))
    g = GaussianProcessRegressor(k, n_restarts_optimizer=2, random_state=0).fit(X, t)
    return g.log_marginal_likelihood_value_ + jac

if __name__ == "__main__":
    for d in sys.argv[1:]:
        rows = list(csv.DictReader(open(d + '/results.csv')))
        name = d.split('/')[-2] if d.endswith('/') else d
        dom = next((v for k, v in DOM.items() if k in d), None)
        if dom is None: dom = DOM['ackley']
        xs = [k for k in rows[0] if k.startswith('x')]
        X = (np.array([[float(r[k]) for k in xs] for r in rows]) - dom[0]) / (dom[1] - dom[0])
        y = np.array([float(r['value']) for r in rows])
        for n in (25, 50):
            ev = {l: evidence(X[:n], y[:n], l) for l in (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0)}
            best = max(ev, key=ev.get)
            print(d, n, 'best lambda', best, ' '.join('%g:%.1f' % (l, e - ev[1.0]) for l, e in ev.items()), flush=True)
