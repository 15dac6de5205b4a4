#!/usr/bin/python3
"""Prints robustness_before/after side by side: median and largest regret, mean failures."""
import json
rows = []
for tag in ('before', 'after'):
    rows.append([json.loads(l) for l in open(f'robustness_{tag}.jsonl')])
print('| case | before: median, max (failures) | after: median, max (failures) |')
print('|---|---|---|')
for b, a in zip(*rows):
    case = f"{b['function']} {b['budget']}"
    for k in ('fail_above', 'fail_rate', 'fail_value', 'objective_noise', 'options'):
        if b.get(k) not in (None, [], {}, 0, 0.0, ''):
            case += f" {k}={b[k]}"
    cell = lambda d: f"{d['median_regret']:.3g}, " + (f"{d['max_regret']:.3g}" if 'max_regret' in d else '—') + f" ({d.get('failures', 0):.1f})"
    print(f"| {case} | {cell(b)} | {cell(a)} |")
