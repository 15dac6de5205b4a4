import csv,numpy as np,sys
xs=np.array([0.20169,0.150011,0.476874,0.275332,0.311652,0.6573]); xl=np.array([0.4047,0.8824,0.8461,0.5739,0.1389,0.0385])
d=sys.argv[1] if len(sys.argv)>1 else 'h6'
hit=0
for s in range(1,21):
    rows=list(csv.DictReader(open(f'{d}/r{s}/results.csv')))
    X=np.array([[float(r[f'x{i}']) for i in range(6)] for r in rows]); y=np.array([float(r['value']) for r in rows])
    ds=np.linalg.norm(X-xs,axis=1); dl=np.linalg.norm(X-xl,axis=1)
    reg=y.min()+3.32236801141551; hit+=reg<0.05
    near=np.where(ds<0.3)[0]
    print(f"seed {s:2d} regret {reg:.3g} init-best-dist*={ds[np.argmin(y[:10])]:.2f} init-min-dist* {ds[:10].min():.2f} (y={y[:10][np.argmin(ds[:10])]:.2f}) init-min-distL {dl[:10].min():.2f} first-eval-within0.3-of-* {near[:1]} best-init {y[:10].min():.2f}")
print("hits",hit)
