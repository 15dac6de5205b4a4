"""A lead for later, not built: would an input warp (Snoek et al. 2014, BoTorch's Warp) help the
GP on Ackley-5? Each input u in [0, 1] goes through the Kumaraswamy CDF 1 - (1 - u^a)^b with the
same a = b for every input (S-shaped for a > 1: the middle of the cube, where Ackley's optimum
and its fine ripples are, is stretched). Log likelihood of the values under an ARD Matern-5/2 GP
(scikit-learn) with the output warp's best Yeo-Johnson exponent, for a few a = b; the input map's
Jacobian is not part of a likelihood of y, so the numbers compare directly."""
import csv, sys, warnings
import numpy as np
sys.path.insert(0, __file__.rsplit('/', 1)[0])
from warp_evidence import evidence, DOM  # noqa: E402
warnings.filterwarnings("ignore")

for d in sys.argv[1:]:
    rows = list(csv.DictReader(open(d + '/results.csv')))
    dom = next(v for k, v in DOM.items() if k in d)
    xs = [k for k in rows[0] if k.startswith('x')]
    U = (np.array([[float(r[k]) for k in xs] for r in rows]) - dom[0]) / (dom[1] - dom[0])
    y = np.array([float(r['value']) for r in rows])
    out = []
    for a in (1.0, 1.5, 2.0, 3.0):
        W = 1 - (1 - U ** a) ** a
        out.append('a=b=%g: %.1f' % (a, max(evidence(W, y, l) for l in (1.0, 2.0, 3.0))))
    print(d, ' | '.join(out), flush=True)
