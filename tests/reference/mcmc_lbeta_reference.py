#!/usr/bin/python3
"""Reference for mcmc/scalar_math.hpp's lbeta and the densities built on it (student_t_lpdf,
beta_lpdf, binomial_lpmf in mcmc/distributions.hpp), where lgamma differences cancel: large
arguments, computed with mpmath at 700 significant digits (tests/mcmc/test_distributions.cpp).
usage: /usr/bin/python3 mcmc_lbeta_reference.py > mcmc_lbeta_reference.json
"""
import json, sys
import mpmath as mp

mp.mp.dps = 700  # lgamma(1e300) is 6.9e302: 60 digits beyond it survive the differences


def lbeta(a, b):
    a, b = mp.mpf(a), mp.mpf(b)
    return mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)


def student_t(y, nu, mu, sigma):
    y, nu, mu, sigma = map(mp.mpf, (y, nu, mu, sigma))
    z = (y - mu) / sigma
    return (mp.loggamma((nu + 1) / 2) - mp.loggamma(nu / 2) - mp.log(nu * mp.pi) / 2 - mp.log(sigma)
            - (nu + 1) / 2 * mp.log1p(z * z / nu))


def beta_lpdf(y, a, b):
    y, a, b = map(mp.mpf, (y, a, b))
    return (a - 1) * mp.log(y) + (b - 1) * mp.log1p(-y) - lbeta(a, b)


def binomial(n, N, theta):
    n, N, theta = mp.mpf(n), mp.mpf(N), mp.mpf(theta)
    return (mp.loggamma(N + 1) - mp.loggamma(n + 1) - mp.loggamma(N - n + 1) + n * mp.log(theta)
            + (N - n) * mp.log1p(-theta))


lbeta_cases = [(0.5, 0.5), (3.0, 7.5), (9.5, 9.9), (2.5, 12.0), (0.3, 1e3), (2.5, 1e8), (0.5, 1e12), (1e12, 0.5),
               (15.0, 20.0), (40.0, 1e6), (1e8, 1e8 + 3), (1e12, 3e12), (1e300, 2.0)]
t_cases = [(0.3, 1.0, 0.0, 1.0), (0.3, 4.0, 0.1, 2.0), (2.0, 30.0, -1.0, 0.5), (0.3, 1e6, 0.0, 1.0), (0.3, 1e10, 0.0, 1.0),
           (0.3, 1e15, 0.0, 1.0), (-4.0, 1e12, 1.0, 3.0)]
beta_cases = [(0.3, 2.0, 3.0), (0.5, 1e8, 1e8), (1e-6, 0.5, 1e12), (0.25, 20.0, 60.0)]
binomial_cases = [(3, 10, 0.4), (500000000, 1000000000, 0.5), (7, 2000000000, 3e-9), (999999990, 1000000000, 0.99999999)]
out = {
    "generator": "mcmc_lbeta_reference.py",
    "mpmath": mp.__version__,
    "lbeta": [{"a": a, "b": b, "value": float(lbeta(a, b))} for a, b in lbeta_cases],
    "student_t": [{"y": y, "nu": nu, "mu": mu, "sigma": s, "value": float(student_t(y, nu, mu, s))} for y, nu, mu, s in t_cases],
    "beta": [{"y": y, "a": a, "b": b, "value": float(beta_lpdf(y, a, b))} for y, a, b in beta_cases],
    "binomial": [{"n": n, "N": N, "theta": t, "value": float(binomial(n, N, t))} for n, N, t in binomial_cases],
}
json.dump(out, sys.stdout, indent=1)
print()
