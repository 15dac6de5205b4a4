#!/usr/bin/python3
"""Optuna TPE on branch.cpp's two-model problem (define-by-run), 20 seeds of 50 trials."""
import math
import optuna
optuna.logging.set_verbosity(optuna.logging.WARNING)
A = [[3.0, 10, 30], [0.1, 10, 35], [3.0, 10, 30], [0.1, 10, 35]]
P = [[0.3689, 0.1170, 0.2673], [0.4699, 0.4387, 0.7470], [0.1091, 0.8732, 0.5547], [0.03815, 0.5743, 0.8828]]
al = [1.0, 1.2, 3.0, 3.2]
def h3(x): return -sum(al[i]*math.exp(-sum(A[i][j]*(x[j]-P[i][j])**2 for j in range(3))) for i in range(4))
def branin(x1, x2):
    b=5.1/(4*math.pi**2); c=5/math.pi; t=1/(8*math.pi)
    return (x2-b*x1**2+c*x1-6)**2+10*(1-t)*math.cos(x1)+10
def obj(t):
    if t.suggest_categorical("model", ["a", "b"]) == "a":
        return branin(t.suggest_float("x1", -5, 10), t.suggest_float("x2", 0, 15)) + 0.5
    return h3([t.suggest_float(f"h{i}", 0, 1) for i in range(3)]) + 4.0
fmin = -3.86278214782076 + 4.0
r = []
for seed in range(20):
    st = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed)); st.optimize(obj, n_trials=50); r.append(st.best_value - fmin)
r.sort(); print("tpe median %.4g q75 %.4g max %.4g" % (0.5*(r[9]+r[10]), r[15], r[19]))
