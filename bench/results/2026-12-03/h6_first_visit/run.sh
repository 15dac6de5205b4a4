#!/usr/bin/env bash
# Hartmann-6, 200 evaluations, seeds 1-40 through `gpbo tune` (from this folder, with a Release
# build in ../../../../build); first_visit.py then reports, per run, the first evaluation within
# 0.25 (Euclidean, unit cube) of the global minimizer and how many evaluations landed there.
set -euo pipefail
G=../../../../build/bin/gpbo
for s in $(seq 1 40); do $G tune h6.json --out runs/run$s --seed $s --quiet > /dev/null; done
cd runs && /usr/bin/python3 ../first_visit.py > ../first_visit.txt
