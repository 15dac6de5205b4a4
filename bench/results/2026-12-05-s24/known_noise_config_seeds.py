import json, subprocess, sys, math, re, os, statistics, tempfile
# Median true regret (the noise-free loss minus its optimum 0.3) of the recommended and of the best
# observed point, 40 seeds of configs/known_noise.json, with the sd read and without it.
tmp = tempfile.mkdtemp()
# Run from the repository root after a build: /usr/bin/python3 bench/results/2026-12-05-s24/known_noise_config_seeds.py
base = json.load(open('configs/known_noise.json'))
base.pop('$schema')
base['objective']['command'][0] = os.path.abspath('configs/objectives/train_model.sh')
def truth(p):
    l = math.log10(p['lr']) + 2.5
    return 0.3 + 0.25*l*l + 0.02*(p['layers']-4)**2 + 1.5*(p['dropout']-0.2)**2
res = {}
for variant in ['sd', 'bare']:
    cfg = json.loads(json.dumps(base))
    if variant == 'bare': cfg['objective']['result'] = {"type": "regex", "pattern": "^val_loss ([-0-9.eE+]+)"}
    json.dump(cfg, open(f'{tmp}/{variant}.json', 'w'))
    rec_t, best_t = [], []
    for seed in range(1, 41):
        out = f'{tmp}/r_{variant}_{seed}'
        subprocess.run(['rm', '-rf', out])
        o = subprocess.run(['build/bin/gpbo', 'tune', f'{tmp}/{variant}.json', '--seed', str(seed), '--out', out, '--quiet'], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
        st = json.load(open(f'{out}/state.json'))
        # recommended: parse from output
        lines = o.splitlines()
        def params_after(tag):
            i = next(k for k, s in enumerate(lines) if s.startswith(tag))
            p = {}
            for s in lines[i+1:i+4]:
                n, v = s.split()
                p[n] = float(v)
            return p
        rec_t.append(truth(params_after('recommended' if any(s.startswith('recommended') for s in lines) else 'best value')) - 0.3)
        best_t.append(truth(params_after('best value')) - 0.3)
    res[variant] = (statistics.median(rec_t), statistics.median(best_t), sorted(rec_t)[30])
    print(variant, 'median true regret of recommended %.5f (q75 %.5f), of best observed %.5f' % (res[variant][0], res[variant][2], res[variant][1]), flush=True)
