import json,glob,sys,statistics
fmin={'branin':0.397887357729738,'hartmann6':-3.32236801141551,'ackley5':0,'rosenbrock4':0,'styblinski_tang8':-39.16616570377142*8,'rastrigin4':0,'levy4':0,'hartmann3':-3.86278214782076,'six_hump_camel':-1.031628453489877,'sphere4':0,'ackley10':0}
cols=['branin','hartmann6','ackley5','rosenbrock4','styblinski_tang8','rastrigin4','levy4','hartmann3','six_hump_camel','sphere4','ackley10']
print('cfg', ' | '.join(cols))
for f in sorted(glob.glob(sys.argv[1])):
    row={}
    for l in open(f):
        d=json.loads(l); r=[b-fmin[d['function']] for b in d['best']]
        extra=''
        if d['function']=='hartmann6': extra='(%d)'%sum(x<0.01 for x in r)
        if d['function']=='ackley5': extra='(%d)'%sum(x<1.32 for x in r)
        if d['function']=='rosenbrock4': extra='(%d)'%sum(x<32.2 for x in r)
        row[d['function']]='%.3g%s'%(d['median_regret'],extra)
    print(f.split('/')[-1], ' '.join(row.get(k,'-') for k in cols if any(k in row for _ in [0])))
