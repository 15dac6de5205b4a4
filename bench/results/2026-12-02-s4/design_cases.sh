#!/usr/bin/env bash
# usage: design_cases.sh BO_BENCH OUT
b=$1; out=$2; : > $out
$b --function branin --budget 40 --seeds 40 --mode default --threads 2 --fail-above 1 5 >> $out
$b --function branin --budget 40 --seeds 40 --mode default --threads 2 --fail-above 0 5 >> $out
$b --function branin --budget 40 --seeds 40 --mode default --threads 2 --fail-rate 0.2 >> $out
$b --function branin --budget 40 --seeds 40 --mode default --threads 2 --fail-rate 0.5 >> $out
$b --function hartmann6 --budget 60 --seeds 40 --mode default --threads 2 --fail-rate 0.3 >> $out
$b --function hartmann6 --budget 60 --seeds 40 --mode default --threads 2 --fail-above 0 0.5 >> $out
$b --function rosenbrock4 --budget 50 --seeds 40 --mode default --threads 2 --fail-above 0 2 >> $out
