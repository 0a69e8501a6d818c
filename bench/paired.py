#!/usr/bin/env python3
"""Paired, seed-by-seed comparison of one strategy against the others in a `weaknas bench` folder.

    bench/paired.py OUT [OUT ...] [--strategy weaknas] [--budget-miss]

For every dataset (and constraint) in OUT/runs.jsonl, and every other strategy with runs on the same seeds: how many
seeds each needed fewer queries to the optimum (a run that never reached it counts as its budget), and the mean of
(other - strategy) with a 95 % bootstrap interval (10,000 resamples of the seeds, fixed seed, so the output is the same
every time). A positive difference means the strategy needed fewer queries. Standard library only.
"""
import argparse
import json
import os
import random
import statistics

parser = argparse.ArgumentParser()
parser.add_argument("out", nargs="+")
parser.add_argument("--strategy", default="weaknas")
args = parser.parse_args()

runs = {}
for folder in args.out:
    for line in open(os.path.join(folder, "runs.jsonl")):
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("objectives"):
            continue
        found = r["found_optimum_at"]
        runs[(r["dataset"], r.get("constraint"), r["strategy"], r["seed"])] = found if found is not None else r["budget"]


def interval(diffs):
    rng = random.Random(20)
    means = sorted(statistics.fmean(rng.choices(diffs, k=len(diffs))) for _ in range(10_000))
    return means[249], means[9_749]


print("| dataset | against | seeds | fewer queries: strategy / other / tie | other's mean − strategy's mean (95 % bootstrap CI) | strategy's mean | other's mean |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
cells = sorted({(d, c) for d, c, _, _ in runs}, key=lambda x: (x[0], x[1] or ""))
for dataset, constraint in cells:
    mine = {seed: q for (d, c, s, seed), q in runs.items() if d == dataset and c == constraint and s == args.strategy}
    if not mine:
        continue
    others = sorted({s for (d, c, s, _) in runs if d == dataset and c == constraint and s != args.strategy})
    label = dataset + (f" {constraint}" if constraint else "")
    for other in others:
        theirs = {seed: q for (d, c, s, seed), q in runs.items() if d == dataset and c == constraint and s == other}
        seeds = sorted(set(mine) & set(theirs))
        if not seeds:
            continue
        diffs = [theirs[s] - mine[s] for s in seeds]
        wins = sum(1 for x in diffs if x > 0)
        losses = sum(1 for x in diffs if x < 0)
        low, high = interval(diffs)
        print(f"| {label} | {other} | {len(seeds)} | {wins} / {losses} / {len(seeds) - wins - losses} | "
              f"{statistics.fmean(diffs):+.1f} ({low:+.1f} to {high:+.1f}) | {statistics.fmean(mine[s] for s in seeds):.1f} | {statistics.fmean(theirs[s] for s in seeds):.1f} |")
