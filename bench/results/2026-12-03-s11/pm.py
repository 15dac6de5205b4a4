# Posterior-mean minimizer of a scikit-learn Matern 5/2 ARD GP (plus white noise) fitted to the
# 50 points of gpbo tune runs r1..r8 of ackley5 (gpbo tune with {"objective": {"builtin": "ackley5"},
# "budget": 50} and --seed 1..8); run with /usr/bin/python3 in the folder holding r1..r8.
import csv,numpy as np, warnings
warnings.filterwarnings("ignore")
from sklearn.gaussian_process import GaussianProcessRegressor as G
from sklearn.gaussian_process.kernels import Matern, WhiteKernel, ConstantKernel as C
from scipy.optimize import minimize
def ack(x):
    x=np.atleast_2d(x); return -20*np.exp(-0.2*np.sqrt((x**2).mean(1)))-np.exp(np.cos(2*np.pi*x).mean(1))+20+np.e
for s in range(1,9):
    rows=list(csv.DictReader(open(f"r{s}/results.csv")))
    X=np.array([[float(r[f"x{i}"]) for i in range(5)] for r in rows]); y=np.array([float(r["value"]) for r in rows])
    U=(X+32.768)/65.536; ys=(y-y.mean())/y.std()
    k=C(1.0)*Matern(length_scale=[0.3]*5,length_scale_bounds=(1e-3,10),nu=2.5)+WhiteKernel(1e-3,(1e-8,1))
    g=G(k,normalize_y=False,n_restarts_optimizer=3,random_state=0).fit(U,ys)
    b=np.argmin(y)
    r=minimize(lambda u: g.predict(u[None])[0], U[b], bounds=[(0,1)]*5)
    xm=r.x*65.536-32.768
    print(s, "best", round(y[b],3), "pm-min", np.round(xm,2), "f", round(ack(xm)[0],3), g.kernel_)
