#!/bin/bash
# 2026-12-01: one sitting on a quiet machine: gp_bench vs sklearn, then BO overheads.
cd /tmp/gpcase
for n in 250 500 1000 2000; do
  echo "gpbo $(/work/main/build/bin/gp_bench --train train_$n.csv --test test.csv --restarts 2)"
done
for n in 250 500 1000; do
  echo "sklearn $(/usr/bin/python3 /work/shared/peers/gp_sklearn.py train_$n.csv test.csv --restarts 2)"
done
