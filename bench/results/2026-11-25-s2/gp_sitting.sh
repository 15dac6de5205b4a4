#!/bin/bash
# GP sitting: gpbo before (7797476) and after (main) alternately, then the sklearn peer.
cd /tmp/gpc2
for n in 250 500 1000 2000; do
  echo "# before $n"; /tmp/before/build/bin/gp_bench --train train_$n.csv --test test.csv --restarts 2
  echo "# after $n"; /work/main/build/bin/gp_bench --train train_$n.csv --test test.csv --restarts 2
done
for n in 250 500 1000 2000; do
  echo "# sklearn $n"; /usr/bin/python3 /work/shared/peers/gp_sklearn.py train_$n.csv test.csv --restarts 2
done
