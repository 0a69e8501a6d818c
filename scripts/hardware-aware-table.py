#!/usr/bin/env python3
"""Section-2 tables of docs/results/hardware-aware.md from bench runs.jsonl files (WeakNAS, random, evolution runs).

python3 scripts/hardware-aware-table.py [--seeds FIRST-LAST] nb201-hardware/runs.jsonl [more.jsonl ...]
WeakNAS columns use the seeds finished in every cell (within --seeds when given); baselines are shown on the same
seeds and on all of theirs.
"""
import json, sys, statistics as st
from collections import defaultdict

args = sys.argv[1:]
seed_range = None
if args[:1] == ['--seeds']:
    first, last = map(int, args[1].split('-'))
    seed_range = range(first, last + 1)
    args = args[2:]
files = args
runs = {}
for f in files:
    for line in open(f):
        r = json.loads(line)
        runs[(r['constraint'], r['strategy'], r['seed'])] = r

devices = ['pixel3', 'raspi4', 'fpga', 'eyeriss', '1080ti_1']
cells = [f'latency:{d}<=p{p}' for d in devices for p in (25, 50, 75)]
def q(r):
    """Queries to the constrained optimum; a run that never reached it counts as its budget."""
    return r['found_optimum_at'] if r['found_optimum_at'] is not None else r['budget']

def fmt(rs):
    qs = [q(r) for r in rs]
    if not qs: return '–'
    reached = sum(1 for r in rs if r['found_optimum_at'] is not None)
    med = st.median(qs)
    med = f'{med:.0f}' if med == int(med) else f'{med:.1f}'
    return f'{st.mean(qs):.1f} ({med}) [{reached}/{len(rs)}]'

def test_at(r, n):
    s, t = r['search'][:n], r['test'][:n]
    i = max(range(len(s)), key=lambda k: (s[k], -k))
    return t[i]

wk_seeds = defaultdict(set)
for (c, s, seed) in runs:
    if s == 'weaknas' and (seed_range is None or seed in seed_range): wk_seeds[c].add(seed)
common = set.intersection(*[wk_seeds[c] for c in cells]) if all(wk_seeds[c] for c in cells) else set()
n = len(common)
print(f'weaknas seeds complete in every cell: {n} ({min(common) if common else "-"}..{max(common) if common else "-"})')
print()
def all_runs(c, s):
    return [r for (cc, ss, seed), r in runs.items() if cc == c and ss == s]
def same_seeds(c, s):
    return [runs[(c, s, seed)] for seed in sorted(common) if (c, s, seed) in runs]
n_random, n_evolution = (len(all_runs(cells[0], s)) for s in ('random', 'evolution'))
# once WeakNAS covers every baseline seed, the "same seeds" columns are the whole baseline columns: print them once
full = all({seed for (cc, ss, seed) in runs if cc == c and ss == s} <= common for c in cells for s in ('random', 'evolution'))
if full:
    print(f'| budget | bound | feasible cells | weaknas ({n}) | random ({n_random}) | evolution ({n_evolution}) |')
    print('| --- | --- | ---: | ---: | ---: | ---: |')
else:
    print(f'| budget | bound | feasible cells | weaknas ({n} seeds) | random, same {n} seeds | evolution, same {n} seeds | random ({n_random}) | evolution ({n_evolution}) |')
    print('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |')
tot = defaultdict(list)
for c in cells:
    row = []
    any_r = next(r for (cc, s, seed), r in runs.items() if cc == c)
    bound = any_r['constraint_bounds'].split('<=')[1]
    for s in ('weaknas', 'random', 'evolution'):
        rs = same_seeds(c, s)
        tot[s] += rs
        row.append(fmt(rs))
    if not full:
        for s in ('random', 'evolution'):
            row.append(fmt(all_runs(c, s)))
    print(f"| `{c}` | {bound} | {any_r['feasible_count']:,} | " + ' | '.join(row) + ' |')
print()
for s in ('weaknas', 'random', 'evolution'):
    rs = tot[s]
    print(f"total {s}: mean {st.mean(q(r) for r in rs):.1f}, reached {sum(1 for r in rs if r['found_optimum_at'] is not None)} of {len(rs)}")
print()
print('| budget | weaknas, N = 100 | random | evolution | weaknas, N = 300 | random | evolution |')
print('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
for c in cells:
    vals = []
    for N in (100, 300):
        for s in ('weaknas', 'random', 'evolution'):
            rs = same_seeds(c, s)
            vals.append(f'{st.mean(test_at(r, N) for r in rs):.2f}' if rs else '–')
    print(f'| `{c}` | ' + ' | '.join(vals) + ' |')
print()
wk = [r for (c, s, seed), r in runs.items() if s == 'weaknas' and seed in common]
secs = [r['seconds'] for r in wk]
print(f'weaknas seconds: mean {st.mean(secs):.1f} over {len(secs)} runs, min {min(secs):.2f}, max {max(secs):.1f}')
for c in cells:
    print(c, 'seconds mean', round(st.mean(r['seconds'] for r in same_seeds(c, 'weaknas')), 1))
print()
# The findings' details: where WeakNAS runs missed, the best search value they ended at (against the constrained
# optimum, the value every reaching run of any strategy found); where few reached it, which seeds and when.
print('weaknas misses (best search value reached: runs) and few hits (seed: query):')
for c in cells:
    rs = same_seeds(c, 'weaknas')
    hits = [r for r in rs if r['found_optimum_at'] is not None]
    missed = defaultdict(int)
    for r in rs:
        if r['found_optimum_at'] is None: missed[round(max(r['search']), 4)] += 1
    if not missed: continue
    optimum = {round(max(r['search']), 4) for (cc, s, seed), r in runs.items() if cc == c and r['found_optimum_at'] is not None}
    top = ', '.join(f'{v}: {k}' for v, k in sorted(missed.items(), key=lambda kv: -kv[1])[:4])
    few = ', '.join(f"{r['seed']}: {r['found_optimum_at']}" for r in hits) if len(hits) < 10 else f'{len(hits)} runs'
    print(f"{c}: optimum {', '.join(map(str, sorted(optimum)))}; {len(rs) - len(hits)} missed ({top}); reached: {few}")
