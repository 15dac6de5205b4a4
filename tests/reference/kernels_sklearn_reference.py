#!/usr/bin/python3
"""Reference Gram matrices and log-hyperparameter gradients for tests/kernels/test_reference.cpp,
computed with scikit-learn's kernels (an independent implementation).

Rerun from the repository root (Debian's Python with python3-sklearn):
    /usr/bin/python3 tests/reference/kernels_sklearn_reference.py > tests/reference/kernels_sklearn_reference.json

Each case gives a gpbo kernel string, its log hyperparameters in gpbo order, the points X (rows),
sklearn's K(X, X) and dK/d(log theta_j) (sklearn's eval_gradient is with respect to log
hyperparameters; where sklearn's order differs from gpbo's the script reorders them). sklearn's ExpSineSquared uses
the Euclidean distance, which equals gpbo's periodic kernel only in one dimension, so the
periodic cases are 1-D. For DotProduct (sigma_0^2 + x.x') only K is compared, because gpbo
parametrizes the offset as c = sigma_0^2 rather than sigma_0.
"""
import json
import numpy as np
import sklearn
from sklearn.gaussian_process.kernels import (RBF, ConstantKernel, DotProduct, ExpSineSquared, Matern,
                                              RationalQuadratic, WhiteKernel)


def points(n, d, seed):
    i = np.arange(float(n))[:, None]
    k = np.arange(float(d))[None, :]
    return np.sin(1.7 * i * (k + 1) + seed) * 1.3 + 0.1 * k


def case(name, text, log_params, kernel, X, gradients=True, order=None):
    """order[j] = sklearn's index of gpbo's hyperparameter j (default: same order)."""
    K, G = kernel(X, eval_gradient=True)
    if order is not None:
        G = G[:, :, order]
    out = {"name": name, "kernel": text, "log_params": list(map(float, log_params)), "X": X.tolist(), "K": K.tolist()}
    if gradients:
        out["dK"] = [G[:, :, j].tolist() for j in range(G.shape[2])]
    return out


def main():
    X = points(6, 3, 0.3)
    X1 = points(7, 1, 0.9)
    ls = np.array([0.5, 1.2, 2.0])
    cases = [
        case("rbf_ard", "unscaled(se)", np.log(ls), RBF(ls), X),
        case("matern12_ard", "unscaled(matern12)", np.log(ls), Matern(ls, nu=0.5), X),
        case("matern32_ard", "unscaled(matern32)", np.log(ls), Matern(ls, nu=1.5), X),
        case("matern52_ard", "unscaled(matern52)", np.log(ls), Matern(ls, nu=2.5), X),
        # sklearn orders RationalQuadratic's hyperparameters (alpha, length_scale); gpbo's are
        # (lengthscale, alpha).
        case("rq_iso", "unscaled(rq(iso))", np.log([0.7, 1.7]), RationalQuadratic(0.7, 1.7), X, order=[1, 0]),
        case("periodic_1d", "unscaled(periodic)", np.log([0.8, 1.3]), ExpSineSquared(0.8, 1.3), X1),
        case("scaled_matern52_plus_white", "matern52 + white", np.log([2.0, *ls, 0.1]),
             ConstantKernel(2.0) * Matern(ls, nu=2.5) + WhiteKernel(0.1), X),
        case("se_times_periodic_1d", "unscaled(se * periodic)", np.log([0.9, 0.8, 1.3]),
             RBF(0.9) * ExpSineSquared(0.8, 1.3), X1),
        case("constant_plus_dotproduct", "unscaled(constant + linear(offset))", np.log([0.5, 1.0, 0.64]),
             ConstantKernel(0.5) + DotProduct(0.8), X, gradients=False),
    ]
    print(json.dumps({"generator": "tests/reference/kernels_sklearn_reference.py", "sklearn": sklearn.__version__,
                      "cases": cases}, indent=1))


if __name__ == "__main__":
    main()
