import csv,numpy as np
from sklearn.gaussian_process import GaussianProcessRegressor as G
from sklearn.gaussian_process.kernels import Matern, ConstantKernel as C, WhiteKernel as W
from scipy.optimize import minimize
def f(x): d=len(x); return -20*np.exp(-0.2*np.sqrt(np.sum(x**2)/d))-np.exp(np.sum(np.cos(2*np.pi*x))/d)+20+np.e
for s in range(1,7):
    rows=list(csv.DictReader(open(f'ackr/r{s}/results.csv')))
    X=np.array([[float(r[f'x{i}']) for i in range(5)] for r in rows]); y=np.array([float(r['value']) for r in rows])
    U=(X+32.768)/65.536
    g=G(C(1.0)*Matern(length_scale=np.ones(5)*0.5,nu=2.5,length_scale_bounds=(1e-2,1e2))+W(1e-2,(1e-6,1)),normalize_y=True,n_restarts_optimizer=3,random_state=0).fit(U,y)
    best=(1e9,None); rng=np.random.default_rng(0)
    for u0 in [U[np.argmin(y)]]+[rng.uniform(0,1,5) for _ in range(50)]:
        r=minimize(lambda u:g.predict(u[None])[0],u0,bounds=[(0,1)]*5,method='L-BFGS-B')
        if r.fun<best[0]: best=(r.fun,r.x)
    xm=best[1]*65.536-32.768
    print(f"seed {s}: best {y.min():.2f} at |x|={np.linalg.norm(X[np.argmin(y)]):.2f}; mean-min at {np.round(xm,2)} |x|={np.linalg.norm(xm):.2f} f={f(xm):.2f}")
