"""How well does the additive GP of addbo.py learn Styblinski-Tang-8's eight terms from 50 uniform
points? For 10 designs: the fitted length scales, the correlation of each fitted term with the true
quartic, and how many of the 80 coordinates rank the two wells the right way.
Run: /usr/bin/python3 dbg2.py m52|se   (se: squared-exponential terms instead of Matern 5/2)
"""
import numpy as np, addbo, sys
from addbo import *
kind=sys.argv[1]
if kind=='se':
    addbo.m52=lambda r: np.exp(-0.5*r*r)
tot=0; right=0
for seed in range(10):
    rng=np.random.default_rng(seed)
    X=rng.random((50,D)); Y=st(LO+(HI-LO)*X)
    mu0=Y.mean(); sd=Y.std(); y=(Y-mu0)/sd
    th=np.concatenate([np.full(D,np.log(0.3)),np.full(D,np.log(1/D)),[np.log(1e-4)]])
    th=addbo.fit(X,y,th,rng)
    K,ls,os=addbo.build(X,th); L=np.linalg.cholesky(K+1e-8*np.eye(50)); alpha=np.linalg.solve(L.T,np.linalg.solve(L,y))
    g=np.linspace(0,1,401); cs=[]
    for j in range(D):
        m=os[j]*addbo.kcomp(g,X[:,j],ls[j])@alpha*sd
        tr=0.5*((LO+10*g)**4-16*(LO+10*g)**2+5*(LO+10*g))
        gap=m[np.argmin(np.abs(g-0.775))]-m[np.argmin(np.abs(g-0.2097))]
        right+=gap>0; tot+=1; cs.append(np.corrcoef(m,tr)[0,1])
    print(seed,'ls',np.round(ls,2),'corr',np.round(cs,2))
print(kind,'right sign',right,'of',tot)
