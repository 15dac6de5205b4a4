import csv, numpy as np, glob
g = np.array([0.20169,0.150011,0.476874,0.275332,0.311652,0.6573])
loc = None
for d in sorted(glob.glob('run*'), key=lambda s:int(s[3:])):
    rows=[r for r in csv.DictReader(open(d+'/results.csv')) if r['status']=='ok']
    X=np.array([[float(r['x%d'%i]) for i in range(6)] for r in rows]); y=np.array([float(r['value']) for r in rows])
    best=y.min(); stuck = best > -3.3
    dg = np.linalg.norm(X-g,axis=1)
    ib=y.argmin()
    # first time a point within 0.15 of global optimum
    near = np.where(dg<0.25)[0]
    first = near[0] if len(near) else -1
    print(d, 'stuck' if stuck else 'ok   ', '%.4f'%best, 'first near global:', first, 'n near', len(near), 'best pt', np.round(X[ib],2) if stuck else '')
