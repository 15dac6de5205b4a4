"""Can a GP resolve Styblinski-Tang-8's wells from 50 points at all?

For 20 random designs of 50 uniform points on [-5, 5]^8, fit (maximum likelihood, numpy/scipy,
independent of gpbo) an exactly additive GP (sum of eight 1-D Matern 5/2 kernels, each with its
own length scale and amplitude) and an ARD Matern 5/2 GP, and predict, from the point with every
coordinate in the deep well (-2.9035), the change from moving one coordinate to the shallow well
(+2.7468). The truth is +14.13 for every coordinate. Prints, per kernel, how many of the 160
coordinate-wells get the right sign and the spread of the predicted gaps.
Run: /usr/bin/python3 st8_additive_wells.py
"""
import numpy as np
from scipy.optimize import minimize

D, N, TRIALS = 8, 50, 20
DEEP, SHALLOW = (-2.9035 + 5) / 10, (2.7468 + 5) / 10


def st(X):
    return 0.5 * np.sum(X**4 - 16 * X**2 + 5 * X, axis=1)


def m52(r):
    s = np.sqrt(5) * r
    return (1 + s + s * s / 3) * np.exp(-s)


def additive(A, B, p):
    ls, amp = np.exp(p[:D]), np.exp(p[D:2 * D])
    return sum(amp[i] * m52(np.abs(A[:, i, None] - B[None, :, i]) / ls[i]) for i in range(D))


def ard(A, B, p):
    ls, amp = np.exp(p[:D]), np.exp(p[D])
    r = np.sqrt((((A[:, None, :] - B[None, :, :]) / ls) ** 2).sum(-1))
    return amp * m52(r)


def fit_predict(kernel, starts, U, y, T):
    m, s = y.mean(), y.std()
    ys = (y - m) / s

    def nlml(p):
        K = kernel(U, U, p) + (1e-6 + np.exp(p[-1])) * np.eye(len(ys))
        try:
            L = np.linalg.cholesky(K)
        except np.linalg.LinAlgError:
            return 1e10
        a = np.linalg.solve(L, ys)
        return 0.5 * a @ a + np.log(np.diag(L)).sum()

    best = min((minimize(nlml, p0, method="L-BFGS-B", bounds=[(-5, 4)] * (len(p0) - 1) + [(-14, 0)]) for p0 in starts),
               key=lambda r: r.fun)
    p = best.x
    K = kernel(U, U, p) + (1e-6 + np.exp(p[-1])) * np.eye(len(ys))
    return kernel(T, U, p) @ np.linalg.solve(K, ys) * s + m


rng = np.random.default_rng(20261202)
base = np.full(D, DEEP)
T = np.array([base] + [np.where(np.arange(D) == i, SHALLOW, base) for i in range(D)])
gaps = {"additive": [], "ard": []}
for trial in range(TRIALS):
    U = rng.random((N, D))
    y = st(U * 10 - 5)
    add_starts = [np.r_[np.log(l) * np.ones(D), np.log(1 / D) * np.ones(D), -8] for l in (0.2, 0.5, 1.0)]
    ard_starts = [np.r_[np.log(l) * np.ones(D), 0.0, -8] for l in (0.2, 0.5, 1.0)]
    for name, kernel, starts in (("additive", additive, add_starts), ("ard", ard, ard_starts)):
        mu = fit_predict(kernel, starts, U, y, T)
        gaps[name].extend(mu[1:] - mu[0])
print("true gap of every coordinate: %.2f" % (st(T[1:2] * 10 - 5)[0] - st(T[0:1] * 10 - 5)[0]))
for name, g in gaps.items():
    g = np.array(g)
    print(f"{name:9s} right sign {np.sum(g > 0)}/{len(g)}; predicted gap quartiles "
          f"{np.percentile(g, 25):.1f} {np.median(g):.1f} {np.percentile(g, 75):.1f}; "
          f"designs with all 8 right: {sum(np.all(g.reshape(TRIALS, D)[t] > 0) for t in range(TRIALS))}/{TRIALS}")
