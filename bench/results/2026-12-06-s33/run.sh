#!/bin/sh
# Session 33: optimizer outliers "detect" against "off" on objectives with gross errors.
# Run from the repository root after building (cmake --build build -j2). The harness is session
# 30's transformed_objectives.cpp with --tr outlier_down / outlier_mixed and --outliers added.
set -eu
B=build
D=bench/results/2026-12-06-s33
g++ -std=c++20 -O2 -DEIGEN_MAX_ALIGN_BYTES=16 -DEIGEN_MALLOC_ALREADY_ALIGNED=0 -I$B/include -I/usr/include/eigen3 \
  $D/transformed_objectives.cpp $B/bayesopt/libgpbo_bayesopt.a $B/gp/libgpbo_gp.a $B/kernels/libgpbo_kernels.a \
  $B/mcmc/libgpbo_mcmc.a $B/core/libgpbo_core.a -lnlopt -lpthread -o /tmp/transformed_objectives
run() {  # OUT FUNCTION BUDGET SEEDS "EXTRA ARGS" TRANSFORMS...
  out=$1 fn=$2 budget=$3 seeds=$4 extra=$5; shift 5
  : > "$out"
  for tr in "$@"; do
    for s in $(seq 1 "$seeds"); do /tmp/transformed_objectives --fn "$fn" --tr "$tr" --seed "$s" --budget "$budget" $extra >> "$out"; done
  done
}
run $D/branin60_off.jsonl branin 60 20 "" noise05 outlier outlier_down outlier_mixed none
run $D/branin60_detect.jsonl branin 60 20 "--outliers detect" noise05 outlier outlier_down outlier_mixed none
run $D/hartmann6_60_off.jsonl hartmann6 60 10 "" none outlier_mixed
run $D/hartmann6_60_detect.jsonl hartmann6 60 10 "--outliers detect" none outlier_mixed
run $D/rosenbrock4_50_off.jsonl rosenbrock4 50 10 "" none
run $D/rosenbrock4_50_detect.jsonl rosenbrock4 50 10 "--outliers detect" none
# Time: off and detect one after the other for each seed, so that both see the same machine.
: > $D/branin60_timing_side_by_side.jsonl
for s in $(seq 1 10); do
  for tr in noise05 outlier_mixed; do
    /tmp/transformed_objectives --fn branin --tr $tr --seed $s --budget 60 | sed 's/^{/{"outliers":"off",/' >> $D/branin60_timing_side_by_side.jsonl
    /tmp/transformed_objectives --fn branin --tr $tr --seed $s --budget 60 --outliers detect | sed 's/^{/{"outliers":"detect",/' >> $D/branin60_timing_side_by_side.jsonl
  done
done
# #4's default figures at 50 evaluations (the option is off by default: session 32's per-seed bests).
build/bin/bo_bench --budget 50 --seeds 20 --mode default --threads 2 > $D/bo_default_50.jsonl
for f in branin hartmann6 ackley5 rosenbrock4 styblinski_tang8; do /usr/bin/python3 ../shared/peers/bo_optuna.py $f 50 --seeds 20; done > $D/optuna_50.jsonl
/usr/bin/python3 $D/summarize.py $D/branin60_off.jsonl $D/branin60_detect.jsonl $D/hartmann6_60_off.jsonl \
  $D/hartmann6_60_detect.jsonl $D/rosenbrock4_50_off.jsonl $D/rosenbrock4_50_detect.jsonl
