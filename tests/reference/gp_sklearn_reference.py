#!/usr/bin/python3
"""Reference values for tests/gp/test_gp_reference.cpp, computed with scikit-learn.

Rerun from the repository root (Debian's Python with python3-sklearn):
    /usr/bin/python3 tests/reference/gp_sklearn_reference.py > tests/reference/gp_sklearn_reference.json

A deterministic 20-point, 3-D dataset; at FIXED hyperparameters (no optimization) it records,
for outputscale * Matern52-ARD + white and outputscale * RBF-ARD + white, with and without
normalize_y: the log marginal likelihood, its gradient with respect to the log hyperparameters
(sklearn order: log outputscale, log lengthscales, log noise), and the predictive mean and
standard deviation (noise included, as sklearn's WhiteKernel adds it) at 6 test points.

"point_noise_cases": the same with known per-point noise variances v_i (sklearn's alpha array),
for GaussianProcess::set_data(X, y, point_noise). sklearn adds alpha to the diagonal in its
normalized units, so with normalize_y it is given v / sd(y)^2 (population sd), while
point_noise_user holds v in y's units, as gpbo takes it. Predictions add the white noise only.
"""
import json
import numpy as np
import sklearn
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, Matern, WhiteKernel


def dataset():
    i = np.arange(20.0)
    x = np.column_stack([(0.37 * i) % 1.0, (0.61 * i + 0.2) % 1.0, (0.83 * i + 0.5) % 1.0])
    y = np.sin(6.0 * x[:, 0]) + 0.5 * np.cos(4.0 * x[:, 1]) + x[:, 2] ** 2 + 0.1 * np.sin(37.0 * i) + 3.0
    j = np.arange(6.0)
    xt = np.column_stack([(0.29 * j + 0.05) % 1.0, (0.47 * j + 0.3) % 1.0, (0.71 * j + 0.1) % 1.0])
    return x, y, xt


def case(name, base, outputscale, noise, normalize, x, y, xt, point_noise=None):
    alpha = 0.0 if point_noise is None else (point_noise / np.std(y) ** 2 if normalize else point_noise)
    kernel = ConstantKernel(outputscale, "fixed") * base + WhiteKernel(noise, "fixed")
    gp = GaussianProcessRegressor(kernel, alpha=alpha, optimizer=None, normalize_y=normalize)
    gp.fit(x, y)
    # Gradient over log(outputscale), log(lengthscales), log(noise): same kernel, bounds free.
    free = ConstantKernel(outputscale) * base.clone_with_theta(base.theta) + WhiteKernel(noise)
    gpf = GaussianProcessRegressor(free, alpha=alpha, optimizer=None, normalize_y=normalize).fit(x, y)
    lml, grad = gpf.log_marginal_likelihood(gpf.kernel_.theta, eval_gradient=True)
    mean, std = gp.predict(xt, return_std=True)
    return {"name": name, "normalize_y": normalize, "outputscale": outputscale, "noise": noise,
            "lengthscales": list(np.atleast_1d(base.length_scale)),
            "lml": float(gp.log_marginal_likelihood_value_), "lml_check": float(lml),
            "lml_gradient": [float(g) for g in grad],
            "mean": [float(v) for v in mean], "std": [float(v) for v in std],
            **({} if point_noise is None else {"point_noise_user": [float(v) for v in point_noise]})}


def main():
    x, y, xt = dataset()
    ls = np.array([0.3, 0.5, 0.8])
    cases = []
    for normalize in (False, True):
        cases.append(case("matern52", Matern(ls, nu=2.5), 1.7, 0.05, normalize, x, y, xt))
        cases.append(case("rbf", RBF(ls), 0.9, 0.02, normalize, x, y, xt))
    # Known noise variances from 0 to 0.5 (y spans about 3): some points nearly exact, some vague.
    v = 0.5 * ((0.73 * np.arange(20.0)) % 1.0) ** 2
    noisy = [case("matern52", Matern(ls, nu=2.5), 1.7, 0.05, normalize, x, y, xt, v) for normalize in (False, True)]
    print(json.dumps({"generator": "tests/reference/gp_sklearn_reference.py", "sklearn": sklearn.__version__,
                      "X": x.tolist(), "y": y.tolist(), "X_test": xt.tolist(), "cases": cases,
                      "point_noise_cases": noisy}, indent=1))


if __name__ == "__main__":
    main()
