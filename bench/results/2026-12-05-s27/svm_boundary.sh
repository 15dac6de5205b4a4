#!/bin/sh
# A stand-in for an SVM whose accuracy peaks at C = 10 and that fails for C > 10 or C < 0.001
# (a user's case, 2026-12-05). Args: C gamma n_est kernel.
awk -v C=$1 -v g=$2 -v n=$3 -v k=$4 'BEGIN{
 if (C > 300) exit 1; if (C > 10) exit 1; if (C < 0.001) exit 7;
 lc=log(C)/log(10); lg=log(g)/log(10); v=0.97-0.02*(lc-1)^2-0.01*(lg+2.5)^2-0.002*(30-n); if (k!="rbf") v-=0.05; print "accuracy", v }'
