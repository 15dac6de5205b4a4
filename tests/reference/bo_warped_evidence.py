#!/usr/bin/python3
"""Reference values of the warped-GP log likelihood (bayesopt::PowerWarp in a gp::MarginalLikelihood),
computed independently with SciPy: scipy.stats.yeojohnson for the warp, the Jacobian by central
differences of the whole map y -> w, scipy.stats.multivariate_normal for the GP term.

  w = standardize(YJ_lambda(standardize(y)))   (sample sd, ddof 1, both times)
  log p(y) = log N(w | mean, s2 K_matern52(x; l) + noise I) + sum_i log dw_i/dy_i

"log_cases" are the same with log y in place of y inside the map (PowerWarp::make with
ValueLog::Plain), "shifted_log_cases" with log(y - m + c), m = min y and c the lower quartile of
y - m (ValueLog::Shifted): the Jacobian, of the whole map from y, then holds the log's slope too.

Run: /usr/bin/python3 tests/reference/bo_warped_evidence.py > tests/reference/bo_warped_evidence.json
"""
import json
import numpy as np
from scipy import stats

x = np.linspace(0.0, 1.0, 12)
y = np.abs(x - 0.37) * 7.0 + 0.3 * np.sin(9.0 * x) + 2.0   # a cone with a ripple
outputscale, lengthscale, noise, mean = 1.7, 0.35, 1e-3, 0.2


m = y.min()
c = np.percentile(y - m, 25)   # numpy's default: linear between order statistics
PRE = {"none": lambda a: a, "plain": np.log, "shifted": lambda a: np.log(a - m + c)}


def warp(v, lam, log="none"):
    pre = PRE[log]
    yy, vv = pre(y), pre(v)
    z = (vv - yy.mean()) / yy.std(ddof=1)         # the observed values' standardization, held fixed
    u = stats.yeojohnson(z, lmbda=lam)
    uz = stats.yeojohnson((yy - yy.mean()) / yy.std(ddof=1), lmbda=lam)
    return (u - uz.mean()) / uz.std(ddof=1)        # ... and so is the second one's


def matern52(a, b):
    r = np.abs(a[:, None] - b[None, :]) / lengthscale
    return outputscale * (1 + np.sqrt(5) * r + 5 * r * r / 3) * np.exp(-np.sqrt(5) * r)


def cases_of(log):
    out = []
    for lam in (-0.5, 0.0, 1.0, 2.0, 2.5, 4.0):
        w = warp(y, lam, log)
        h = 1e-6
        slope = np.array([(warp(y + h * np.eye(len(y))[i], lam, log)[i] - warp(y - h * np.eye(len(y))[i], lam, log)[i]) / (2 * h)
                          for i in range(len(y))])
        K = matern52(x, x) + noise * np.eye(len(x))
        value = stats.multivariate_normal(mean=np.full(len(x), mean), cov=K).logpdf(w) + np.log(slope).sum()
        out.append({"lambda": lam, "log_likelihood": value, "w": w.tolist()})
    return out


print(json.dumps({"x": x.tolist(), "y": y.tolist(), "outputscale": outputscale, "lengthscale": lengthscale,
                  "noise_variance": noise, "mean": mean, "cases": cases_of("none"), "log_cases": cases_of("plain"),
                  "shifted_log_cases": cases_of("shifted")}, indent=1))
