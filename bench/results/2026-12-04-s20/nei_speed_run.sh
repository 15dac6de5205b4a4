#!/bin/bash
# log_nei's optimizer time per suggestion, before (064f0e9, one GP per fantasy) and after
# (3ac6bca, shared covariance), the two binaries running side by side on one core each.
D=bench/results/2026-12-04-s20
OLD=/tmp/old/build/bin/bo_bench   # git worktree of 064f0e9, bo_bench target, Release
NEW=build/bin/bo_bench
for spec in "hartmann6 0.1 50" "hartmann6 0.1 100" "branin 2 100" "rosenbrock4 5 100"; do
  set -- $spec
  for acq in log_nei log_ei; do
    args="--function $1 --budget $3 --seeds 10 --mode default --threads 1 --objective-noise $2 --options {\"acquisition\":\"$acq\"}"
    timeout 1800 $OLD $args | sed "s/^{/{\"build\":\"064f0e9\",\"acq\":\"$acq\",/" > $D/tmp_old.jsonl &
    timeout 1800 $NEW $args | sed "s/^{/{\"build\":\"3ac6bca\",\"acq\":\"$acq\",/" > $D/tmp_new.jsonl
    wait
    cat $D/tmp_old.jsonl $D/tmp_new.jsonl >> $D/nei_speed.jsonl
  done
done
rm -f $D/tmp_old.jsonl $D/tmp_new.jsonl
