#!/usr/bin/python3
"""Median simple regret of uniform random search on Branin after 20 evaluations (2000 repeats).

Used as the yardstick of tests/bayesopt/test_optimizer.cpp ("mcmc mode makes progress").
Run: /usr/bin/python3 tests/reference/branin_random_search.py   -> 1.79 (numpy default_rng(0))
"""
import numpy as np


def branin(x1, x2):
    return (x2 - 5.1 / (4 * np.pi**2) * x1**2 + 5 / np.pi * x1 - 6) ** 2 + 10 * (1 - 1 / (8 * np.pi)) * np.cos(x1) + 10


rng = np.random.default_rng(0)
regrets = [branin(rng.uniform(-5, 10, 20), rng.uniform(0, 15, 20)).min() - 0.397887357729739 for _ in range(2000)]
print(f"{np.median(regrets):.2f}")
