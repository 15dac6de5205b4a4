#!/usr/bin/python3
"""Tables of this sitting's bo_bench / bo_optuna.py output (run from this directory)."""
import json, glob

FMIN = {'branin': 0.397887357729738, 'hartmann6': -3.32236801141551, 'ackley5': 0.0,
        'rosenbrock4': 0.0, 'styblinski_tang8': -39.16616570377142 * 8}

def rows(path):
    tag = ''
    for line in open(path):
        if line.startswith('#'):
            tag = line[1:].strip().split('/')[2]  # "/tmp/base/..." -> base, "/work/main" -> main
            continue
        d = json.loads(line)
        d['tag'] = tag
        yield d

tpe = {d['function']: d['median_regret'] for d in rows('bo_optuna_tpe_50.jsonl')}
print('function mode budget | median q25 q75 | seeds with regret > 0.01 | run_s iter_s | errors | TPE@50 ratio')
for path in ['bo_bench_default_fast.jsonl', 'bo_bench_mcmc_50.jsonl', 'bo_bench_mcmc_hartmann6_200.jsonl']:
    for d in rows(path):
        r = [b - FMIN[d['function']] for b in d['best']]
        ratio = ''
        if d['budget'] == 50:
            ratio = '%.3g vs TPE %.3g = 1/%.1f' % (d['median_regret'], tpe[d['function']], tpe[d['function']] / d['median_regret'])
        print(d['function'], d['mode'], d['budget'], '| %.3g %.3g %.3g' % (d['median_regret'], d['q25_regret'], d['q75_regret']),
              '| %d/%d' % (sum(x > 0.01 for x in r), len(r)), '| %.3f %.4f' % (d['median_run_s'], d['median_iter_s']),
              '|', len(d['errors']), '|', ratio)
print('\nnoisy objectives, default @50, noise-free regret of recommend() (best observed in brackets)')
for d in rows('bo_bench_noisy_before_after.jsonl'):
    print(d['tag'], d['function'], 'sd', d.get('objective_noise'), '%.3g (q25 %.3g q75 %.3g) [%.3g]' % (
        d['median_regret'], d['q25_regret'], d['q75_regret'], d.get('median_regret_best_observed', float('nan'))))
