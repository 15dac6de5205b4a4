#!/usr/bin/env bash
# gpbo fit on thin, wide data: maximum likelihood (--priors none) against the MAP fit under the
# weak default priors (the default since this session). Friedman #1 (5 of D inputs matter, noise
# sd 1), 40 training points, 500 test points, D = 10, 30, 100, three data seeds each; then the
# shipped Friedman data (150 points, 5 inputs). From the repository root, build/ a Release build.
# Usage: bash bench/results/2026-12-03-s13/wide_priors.sh > bench/results/2026-12-03-s13/wide_priors.txt
set -euo pipefail
G=$PWD/build/bin/gpbo
MAKE=$PWD/../shared/peers/make_gp_case.py
tmp=$(mktemp -d)
for d in 10 30 100; do
  /usr/bin/python3 $MAKE 500 $d 99 $tmp/test.csv
  for seed in 11 12 13; do
    /usr/bin/python3 $MAKE 40 $d $seed $tmp/train.csv
    line="D=$d data_seed=$seed"
    for p in none weak; do
      $G fit --data $tmp/train.csv --priors $p --seed 1 --threads 1 --out $tmp/m.json > $tmp/fit.txt
      noise=$(awk '/^noise_variance/{print $2}' $tmp/fit.txt)
      line="$line | $p: noise $noise, $($G predict --model $tmp/m.json --data $tmp/test.csv --out /dev/null 2>&1 | sed 's/test targets present: //')"
    done
    echo "$line"
  done
done
for p in none weak; do
  $G fit --data configs/data/friedman_train.csv --priors $p --seed 1 --threads 1 --out $tmp/m.json > /dev/null
  echo "friedman 150 x 5 | $p: $($G predict --model $tmp/m.json --data configs/data/friedman_test.csv --out /dev/null 2>&1 | sed 's/test targets present: //')"
done
rm -rf $tmp
