#!/bin/sh
# Branin; x1 > 5 is "infeasible" and returns the penalty $3
awk -v x=$1 -v y=$2 -v pen=$3 'BEGIN{ if (y > 5) { print pen; exit }
  pi=3.141592653589793; b=5.1/(4*pi*pi); c=5/pi; t=1/(8*pi);
  printf "%.17g\n", (y-b*x*x+c*x-6)^2 + 10*(1-t)*cos(x) + 10 }'
