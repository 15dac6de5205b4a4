import csv,numpy as np
# Where each traced gpbo tune Ackley-5 run (ackr/r<seed>) ends: the incumbent, and how many of its
# coordinates lie outside the central ripple cell |x_i| < 0.5 (one coordinate at +-1 alone costs 1.71).
for s in range(1,7):
    rows=list(csv.DictReader(open(f'ackr/r{s}/results.csv')))
    X=np.array([[float(r[f'x{i}']) for i in range(5)] for r in rows]); y=np.array([float(r['value']) for r in rows])
    i=np.argmin(y); print(s, np.round(X[i],2), round(y[i],2), 'outside central cell:', int(np.sum(np.abs(X[i])>0.5)), 'found at evaluation', i)
