"""Styblinski-Tang-8 with an additive GP and a per-coordinate acquisition (Add-GP-UCB / additive
Thompson sampling, Kandasamy et al. 2015), numpy/scipy only, independent of gpbo.

10 scrambled-Sobol points, then 40 suggestions. The surrogate is a sum of eight 1-D Matern 5/2
terms (MAP, fit with 1 + R random restarts); each coordinate of a suggestion minimizes its own
term's acquisition on a 401-point grid, which an additive model makes exact.
Run: /usr/bin/python3 addbo.py ucb|ts SEEDS [BETA]   (BETA omitted: the GP-UCB schedule)
Prints the median regret at 50 evaluations and the sorted regrets.
"""
import numpy as np, sys
from scipy.optimize import minimize
from scipy.stats import qmc
D=8; LO,HI=-5.0,5.0
def st(x):  # x in [-5,5]^D
    return 0.5*np.sum(x**4-16*x**2+5*x,axis=-1)
FMIN=-39.16616570377142*D
def m52(r):
    s=np.sqrt(5)*r; return (1+s+s*s/3)*np.exp(-s)
def kcomp(a,b,l):  # a (n,) b (m,)
    return m52(np.abs(a[:,None]-b[None,:])/l)
def build(X,th):
    n,d=X.shape; ls=np.exp(th[:d]); os=np.exp(th[d:2*d]); c=np.exp(th[2*d])
    K=np.zeros((n,n))
    for j in range(d): K+=os[j]*kcomp(X[:,j],X[:,j],ls[j])
    return K+ c*np.eye(n), ls, os
def nll(th,X,y):
    K,ls,os=build(X,th)
    try: L=np.linalg.cholesky(K+1e-8*np.eye(len(y)))
    except np.linalg.LinAlgError: return 1e10
    a=np.linalg.solve(L.T,np.linalg.solve(L,y))
    d=X.shape[1]
    # priors: lengthscale lognormal(log .3, 1), outputscale lognormal(log 1/d,1), noise lognormal(log 1e-4, 2)
    pr=np.sum((th[:d]-np.log(0.3))**2)/2+np.sum((th[d:2*d]-np.log(1.0/d))**2)/2+(th[2*d]-np.log(1e-4))**2/8
    return 0.5*y@a+np.sum(np.log(np.diag(L)))+pr
def fit(X,y,th0,rng):
    d=X.shape[1]; best=None
    starts=[th0]+[np.concatenate([np.log(0.3)+rng.normal(0,1,d),np.log(1/d)+rng.normal(0,1,d),[np.log(1e-4)]]) for _ in range(1)]
    for s in starts:
        r=minimize(nll,s,args=(X,y),method='L-BFGS-B',bounds=[(np.log(1e-2),np.log(10))]*d+[(np.log(1e-4),np.log(10))]*d+[(np.log(1e-6),np.log(1))])
        if best is None or r.fun<best.fun: best=r
    return best.x
def run(seed,budget=50,acq='ucb'):
    rng=np.random.default_rng(seed)
    X=qmc.Sobol(D,scramble=True,seed=seed).random(10)
    Y=st(LO+(HI-LO)*X)
    th=np.concatenate([np.full(D,np.log(0.3)),np.full(D,np.log(1/D)),[np.log(1e-4)]])
    g=np.linspace(0,1,401)
    while len(Y)<budget:
        mu0=Y.mean(); sd=Y.std(); y=(Y-mu0)/sd
        th=fit(X,y,th,rng)
        K,ls,os=build(X,th); L=np.linalg.cholesky(K+1e-8*np.eye(len(y)))
        alpha=np.linalg.solve(L.T,np.linalg.solve(L,y))
        t=len(Y); beta=float(sys.argv[3]) if len(sys.argv)>3 else np.sqrt(0.2*D*np.log(2*t))
        x=np.empty(D)
        for j in range(D):
            Kg=os[j]*kcomp(g,X[:,j],ls[j]); m=Kg@alpha
            V=np.linalg.solve(L,Kg.T)
            if acq=='ucb':
                v=np.maximum(os[j]-np.sum(V*V,axis=0),1e-12); a=m-beta*np.sqrt(v)
            else:
                C=os[j]*kcomp(g,g,ls[j])-V.T@V
                w,U=np.linalg.eigh(C); w=np.maximum(w,0)
                a=m+U@(np.sqrt(w)*rng.normal(size=len(g)))
            x[j]=g[np.argmin(a)]
        if np.min(np.abs(X-x).max(axis=1))<1e-9: x=rng.random(D)
        X=np.vstack([X,x]); Y=np.append(Y,st(LO+(HI-LO)*x))
    return Y.min()-FMIN
if __name__=='__main__':
    acq=sys.argv[1]; seeds=range(int(sys.argv[2]))
    r=[run(s,acq=acq) for s in seeds]
    print(acq, 'median', np.median(r), sorted(np.round(r,2)))
