#!/bin/sh
# A stand-in for an expensive training script: takes hyperparameters as options, "trains"
# for a moment, logs progress to stderr and prints the validation loss as its last line.
# Usage: train_model.sh --lr LR --layers N --activation relu|tanh|gelu --dropout P [--sleep S]
#                       [--diverge-above LR]   (training diverges, exit 1, for larger rates)
#                       [--report-memory]      (also print "memory_mb: M", the peak memory, for a
#                                               config's outcome constraint; it grows with layers)
#                       [--cv-folds K]         (score K noisy folds: print their mean as val_loss and
#                                               its standard error as "val_loss_sd: S"; the folds
#                                               disagree more at high learning rates, where
#                                               training is less stable; seeded by GPBO_EVAL_ID)
#                       [--optimizer adam|sgd] [--momentum=M]   (momentum: sgd only, an error
#                                               with adam, as a real script might reject it)
#                       [--glitch-rate R]      (a share R of the runs print a corrupt val_loss of 0,
#                                               as a logger that lost the epoch's metrics might;
#                                               which runs, by GPBO_EVAL_ID)
set -eu
lr=0.01 layers=2 activation=relu dropout=0.1 sleep_s=0 diverge_above=none report_memory=no
optimizer=none momentum=none cv_folds=0 glitch_rate=0
while [ $# -gt 0 ]; do
  case "$1" in
    --lr) lr=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    --activation) activation=$2; shift 2 ;;
    --dropout) dropout=$2; shift 2 ;;
    --sleep) sleep_s=$2; shift 2 ;;
    --diverge-above) diverge_above=$2; shift 2 ;;
    --report-memory) report_memory=yes; shift ;;
    --cv-folds) cv_folds=$2; shift 2 ;;
    --glitch-rate) glitch_rate=$2; shift 2 ;;
    --optimizer) optimizer=$2; shift 2 ;;
    --momentum=*) momentum=${1#*=}; shift ;;
    *) echo "train_model.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$activation" in
  relu) act=0.00 ;; gelu) act=-0.05 ;; tanh) act=0.12 ;;
  *) echo "train_model.sh: unknown activation '$activation'" >&2; exit 2 ;;
esac
# The optimizer's term: sgd with momentum near 0.9 beats adam by 0.03; plain sgd loses 0.29.
opt=0
case "$optimizer" in
  none) [ "$momentum" = none ] || { echo "train_model.sh: --momentum needs --optimizer sgd" >&2; exit 2; } ;;
  adam) [ "$momentum" = none ] || { echo "train_model.sh: adam takes no momentum" >&2; exit 2; } ;;
  sgd) [ "$momentum" != none ] || { echo "train_model.sh: sgd needs --momentum=M" >&2; exit 2; }
       opt=$(awk -v m="$momentum" 'BEGIN { printf "%.6f", 0.4 * (m - 0.9) * (m - 0.9) - 0.03 }') ;;
  *) echo "train_model.sh: unknown optimizer '$optimizer'" >&2; exit 2 ;;
esac
echo "training: lr=$lr layers=$layers activation=$activation dropout=$dropout" >&2
[ "$sleep_s" = 0 ] || sleep "$sleep_s"
if [ "$diverge_above" != none ] && awk -v lr="$lr" -v m="$diverge_above" 'BEGIN { exit !(lr > m) }'; then
  echo "epoch 3: loss is nan, training diverged" >&2
  exit 1
fi
[ "$report_memory" = no ] || echo "memory_mb: $((120 + 70 * layers))"
# Validation loss: best near lr=3e-3, 4 layers, dropout 0.2, gelu.
awk -v lr="$lr" -v n="$layers" -v d="$dropout" -v a="$act" -v o="$opt" -v k="$cv_folds" -v id="${GPBO_EVAL_ID:-0}" \
    -v g="$glitch_rate" 'BEGIN {
  l = log(lr) / log(10) + 2.5
  loss = 0.3 + 0.25 * l * l + 0.02 * (n - 4) * (n - 4) + 1.5 * (d - 0.2) * (d - 0.2) + a + o
  printf "epoch 10: train loss %.4f\n", loss * 0.8
  # Which runs glitch: a golden-ratio hash of the id, a fraction g of any run of ids.
  if (g > 0 && ((id + 1) * 2654435761 % 4294967296) / 4294967296 < g) { printf "val_loss %.6f\n", 0; exit }
  if (k < 2) { printf "val_loss %.6f\n", loss; exit }
  srand(id + 1)
  spread = 0.01 + 0.15 * sqrt(lr / 0.1)  # the noise sd of a single fold
  sum = 0; sumsq = 0
  for (i = 0; i < k; i++) {
    z = sqrt(-2 * log(1 - rand())) * cos(6.283185307 * rand())
    f = loss + spread * z
    printf "fold %d: val_loss %.6f\n", i + 1, f
    sum += f; sumsq += f * f
  }
  mean = sum / k
  var = (sumsq - k * mean * mean) / (k - 1)
  printf "val_loss %.6f\n", mean
  printf "val_loss_sd: %.6f\n", sqrt((var > 0 ? var : 0) / k)
}'
