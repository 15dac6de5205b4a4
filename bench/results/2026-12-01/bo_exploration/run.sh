#!/bin/bash
# usage: run.sh TAG FUNCTION BUDGET SEEDS [OPTIONS_JSON] [BIN]
tag=$1; f=$2; b=$3; s=$4; opt=${5:-}; bin=${6:-/tmp/wt-bo/build/bin/bo_bench}
out=/tmp/wt-bo-runs/$tag.$f.$b.$s.json
if [ -n "$opt" ]; then $bin --function $f --budget $b --seeds $s --mode default --threads 1 --options "$opt" > $out
else $bin --function $f --budget $b --seeds $s --mode default --threads 1 > $out; fi
python3 - "$out" "$tag" <<'PY'
import json,sys
for line in open(sys.argv[1]):
    j=json.loads(line)
    fmin={'branin':0.397887357729739,'hartmann6':-3.32236801141551,'ackley5':0,'rosenbrock4':0,'styblinski_tang8':-39.16616570377142*8}[j['function']]
    r=[b-fmin for b in j['best']]
    hits=sum(x<0.05 for x in r)
    print(f"{sys.argv[2]:28s} {j['function']:16s} b={j['budget']} seeds={j['seeds']} median={j['median_regret']:.4g} q25={j['q25_regret']:.3g} q75={j['q75_regret']:.3g} hits<0.05={hits} iter_s={j['median_iter_s']:.4f} run_s={j['median_run_s']:.3f} err={len(j['errors'])}")
PY
