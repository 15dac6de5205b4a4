import csv,numpy as np,sys
from sklearn.gaussian_process import GaussianProcessRegressor as G
from sklearn.gaussian_process.kernels import Matern, ConstantKernel as C
from scipy.optimize import minimize
def f(X): return 0.5*np.sum(X**4-16*X**2+5*X,axis=-1)
fmin=-39.16616570377142*8
for s in range(1,5):
    rows=list(csv.DictReader(open(f'st8r/r{s}/results.csv')))
    X=np.array([[float(r[f'x{i}']) for i in range(8)] for r in rows]); y=np.array([float(r['value']) for r in rows])
    U=(X+5)/10
    g=G(C(1.0)*Matern(length_scale=np.ones(8)*0.5,nu=2.5,length_scale_bounds=(1e-2,1e2)),normalize_y=True,n_restarts_optimizer=3,random_state=0).fit(U,y)
    ib=np.argmin(y); sgn=np.sign(X[ib])
    # posterior-mean minimizer: from the incumbent, all single flips; and from many random starts
    best=(1e9,None)
    rng=np.random.default_rng(0)
    starts=[U[ib]]+[rng.uniform(0,1,8) for _ in range(200)]
    for u0 in starts:
        r=minimize(lambda u:g.predict(u[None])[0],u0,bounds=[(0,1)]*8,method='L-BFGS-B')
        if r.fun<best[0]: best=(r.fun,r.x)
    xm=best[1]*10-5
    print(f"seed {s}: best regret {y.min()-fmin:.1f}; incumbent signs {sgn.astype(int)}; mean-min signs {np.sign(xm).astype(int)} regret at mean-min {f(xm)-fmin:.1f}; ls {np.round(g.kernel_.k2.length_scale,2)}")
