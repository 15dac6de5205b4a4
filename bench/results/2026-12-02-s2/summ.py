import json,sys
for f in sys.argv[1:]:
  for line in open(f):
    j=json.loads(line)
    fmin={'branin':0.397887357729739,'hartmann6':-3.32236801141551,'ackley5':0,'rosenbrock4':0,'styblinski_tang8':-39.16616570377142*8}[j['function']]
    r=sorted(b-fmin for b in j['best'])
    print(f"{f:40s} {j['function']:16s} b={j['budget']} med={j['median_regret']:.4g} q25={j['q25_regret']:.3g} q75={j['q75_regret']:.3g} hits={sum(x<0.05 for x in r)} iter_s={j['median_iter_s']:.4f} run_s={j['median_run_s']:.3f} err={len(j['errors'])}")
    print("   ", " ".join(f"{x:.3g}" for x in r))
