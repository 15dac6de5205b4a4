import numpy as np, csv, sys
from scipy.optimize import minimize
exec(open('h6_initial_basins.py').read().split('rng=')[0])
xl=np.array([0.4047,0.8824,0.8461,0.5740,0.1389,0.0385])
for s in range(1,21):
    r=list(csv.DictReader(open(f'h6t/r{s}/results.csv')))
    X=np.array([[float(x[f'x{i}']) for i in range(6)] for x in r]); y=np.array([float(x['value']) for x in r])
    init=np.argsort(y[:10]); g=[basin(X[i]) for i in init]
    first_g = g.index(True) if True in g else -1
    hit = y.min() < -3.3
    # when did run first get within 0.3 of global
    dg=np.linalg.norm(X-xg,axis=1); near=np.where(dg<0.3)[0]
    print(f"seed {s:2d} hit={int(hit)} best={y.min():.4f} rank of best global-basin initial pt={first_g} first eval within 0.3 of global={near[0] if len(near) else '-'}")
print()
for s in [4,7,8,10,13,14,16,18]:
    r=list(csv.DictReader(open(f'h6t/r{s}/results.csv')))
    X=np.array([[float(x[f'x{i}']) for i in range(6)] for x in r]); y=np.array([float(x['value']) for x in r])
    dg=np.linalg.norm(X-xg,axis=1); dl=np.linalg.norm(X-xl,axis=1)
    bg=[y[:k][dg[:k]<0.4].min() if (dg[:k]<0.4).any() else 0 for k in (20,30,40,50)]
    bl=[y[:k][dl[:k]<0.4].min() if (dl[:k]<0.4).any() else 0 for k in (20,30,40,50)]
    print(f"seed {s}: best near global (<0.4) at 20/30/40/50 evals: {np.round(bg,3)}; near local: {np.round(bl,3)}")
