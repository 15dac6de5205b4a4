import numpy as np
from scipy.optimize import minimize
d=np.loadtxt('st8bo.csv',delimiter=',',skiprows=1); X=d[:,:8]; y=d[:,8]
U=(X-X.min(0))/(X.max(0)-X.min(0)); ys=(y-y.mean())/y.std()
def m52(r): s=np.sqrt(5)*r; return (1+s+s*s/3)*np.exp(-s)
def lml(p):
    ls=np.exp(p[:8]); os_=np.exp(p[8:16]); mean=p[16]
    K=sum(os_[i]*m52(np.abs(U[:,i,None]-U[None,:,i])/ls[i]) for i in range(8))+1e-6*np.eye(len(ys))
    try: L=np.linalg.cholesky(K)
    except: return 1e10
    r=ys-mean; a=np.linalg.solve(L,r)
    return 0.5*a@a+np.log(np.diag(L)).sum()+0.5*len(ys)*np.log(2*np.pi)
for ls in [0.1,0.2,0.3,0.5,1,2]:
  for os_ in [0.05,0.125,0.5,2,10]:
    print(ls,os_, -lml(np.r_[np.log(ls)*np.ones(8),np.log(os_)*np.ones(8),0]))
best=min((minimize(lml,np.r_[np.log(l)*np.ones(8),np.log(o)*np.ones(8),0],method='L-BFGS-B') for l in [0.2,0.5,1] for o in [0.1,1]),key=lambda r:r.fun)
print('opt',-best.fun,np.round(np.exp(best.x[:16]),3))
