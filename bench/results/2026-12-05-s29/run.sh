#!/bin/bash
# Session 29: #4's figures re-measured. TPE and gpbo default at 50; Branin and Hartmann-6 at 200
# (regret, beside other work); fast and mcmc at 50 (no errors); then, on a quiet machine, the
# overhead figures: fast Hartmann-6 at 200, default and mcmc per-iteration time at 200 points.
cd /work/main
R=bench/results/2026-12-05-s29
if [ "$1" != quiet ]; then
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > $R/optuna_50.jsonl 2> $R/optuna_50.err
build/bin/bo_bench --budget 50 --seeds 20 --mode default --threads 1 > $R/bo_default_50.jsonl 2> $R/bo50.err
build/bin/bo_bench --function branin hartmann6 --budget 200 --seeds 20 --mode default --threads 1 > $R/bo_default_200_regret.jsonl 2> $R/bo200.err
build/bin/bo_bench --budget 50 --seeds 20 --mode fast mcmc --threads 1 > $R/bo_fast_mcmc_50.jsonl 2> $R/bo_fast_mcmc_50.err
else  # quiet machine:
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 20 --mode fast --threads 1 > $R/fast_hartmann6_200.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 3 --mode default --threads 1 > $R/default_hartmann6_200_timing.jsonl
build/bin/bo_bench --function hartmann6 --budget 200 --seeds 1 --mode mcmc --threads 1 > $R/mcmc_hartmann6_200.jsonl
# AutoDiffLogDensity's gradient, session 28's install (OLD, 3912cbc) against this session's (NEW):
# us per gradient of an iid normal, vectorized and as a loop of scalars.
OLD=${OLD:-/tmp/gpbo-prefix} NEW=${NEW:-/tmp/pfx29}
g++ -std=c++20 -O2 -DNDEBUG -I$OLD/include -I/usr/include/eigen3 $R/autodiff_iid.cpp $OLD/lib/libgpbo_mcmc.a $OLD/lib/libgpbo_core.a -o /tmp/ad_old
g++ -std=c++20 -O2 -DNDEBUG -DEIGEN_MAX_ALIGN_BYTES=16 -DEIGEN_MALLOC_ALREADY_ALIGNED=0 -I$NEW/include -I/usr/include/eigen3 \
  $R/autodiff_iid.cpp $NEW/lib/libgpbo_mcmc.a $NEW/lib/libgpbo_core.a -o /tmp/ad_new
for d in 16 50 100 129 200 300; do
  for v in old new; do echo "$v $(/tmp/ad_$v $d x | head -1) | loop: $(LOOP=1 /tmp/ad_$v $d x | head -1)"; done
done > $R/autodiff_iid.txt
for v in old new; do echo "$v $(/tmp/ad_$v 300 | head -1)"; done >> $R/autodiff_iid.txt
fi
