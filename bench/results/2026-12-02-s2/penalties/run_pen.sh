#!/bin/bash
# Branin through `gpbo tune`, where x1 > 5 returns PENALTY instead of a value (branin_pen.sh).
# usage: run_pen.sh PENALTY GPBO [BUDGET]   -> "regret(number of penalties)" for seeds 1-6
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
b=${3:-40}
for s in 1 2 3 4 5 6; do
  echo "{\"space\": {\"x1\": {\"type\": \"real\", \"low\": -5, \"high\": 10}, \"x2\": {\"type\": \"real\", \"low\": 0, \"high\": 15}}, \"objective\": {\"command\": [\"$here/branin_pen.sh\", \"{x1}\", \"{x2}\", \"$1\"]}, \"budget\": $b, \"seed\": $s}" > "$work/c.json"
  rm -rf "$work/r"; "$2" tune "$work/c.json" --out "$work/r" --quiet > /dev/null 2>&1
  awk -F, -v p="$1" 'NR>1 && $5=="ok" {if ($4+0 >= p+0) np++; if (best=="" || $4+0 < best) best=$4+0} END {printf "%.2g(%d) ", best-0.397887, np}' "$work/r/results.csv"
done
echo " <- penalty $1"
rm -rf "$work"
