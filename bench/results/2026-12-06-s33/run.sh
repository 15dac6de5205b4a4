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
/usr/bin/python3 $D/summarize.py $D/branin60_off.jsonl $D/branin60_detect.jsonl $D/hartmann6_60_off.jsonl \
  $D/hartmann6_60_detect.jsonl $D/rosenbrock4_50_off.jsonl $D/rosenbrock4_50_detect.jsonl
