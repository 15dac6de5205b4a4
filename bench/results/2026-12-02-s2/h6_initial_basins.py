import numpy as np
from scipy.optimize import minimize
from scipy.stats import qmc
A=np.array([[10,3,17,3.5,1.7,8],[0.05,10,17,0.1,8,14],[3,3.5,1.7,10,17,8],[17,8,0.05,10,0.1,14]])
P=1e-4*np.array([[1312,1696,5569,124,8283,5886],[2329,4135,8307,3736,1004,9991],[2348,1451,3522,2883,3047,6650],[4047,8828,8732,5743,1091,381]])
al=np.array([1.0,1.2,3.0,3.2])
def h6(x): return -np.sum(al*np.exp(-np.sum(A*(x-P)**2,axis=1)))
xg=np.array([0.20169,0.150011,0.476874,0.275332,0.311652,0.6573])
def basin(x):
    r=minimize(h6,x,method='L-BFGS-B',bounds=[(0,1)]*6); return r.fun < -3.3
rng=np.random.default_rng(0)
U=rng.random((400,6)); print('fraction of uniform starts descending to global:', np.mean([basin(u) for u in U]))
res=[]
for s in range(100):
    X=qmc.Sobol(6,scramble=True,seed=s).random(16)[:10]
    y=np.array([h6(x) for x in X]); order=np.argsort(y); g=[basin(X[i]) for i in order]
    res.append([any(g[:k]) for k in (1,2,3,5,10)])
res=np.array(res); print('P(global basin among best k initial points), k=1,2,3,5,10:', res.mean(0))
