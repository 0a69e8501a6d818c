#!/usr/bin/env python3
"""One Markdown table of a bench folder's queries to the optimum, merged with its paired comparison.

    bench/confirm-table.py OUT [--strategy weaknas]

Reads OUT/summary.csv (written by `weaknas bench`) and OUT/runs.jsonl; prints per dataset one row per strategy: runs
that reached the optimum, mean (median) queries, the 95 % bootstrap interval of the mean, seconds per run, and against
--strategy the seeds on which it needed fewer / more queries and the mean paired difference with its 95 % bootstrap
interval (as bench/paired.py). Rows are sorted by mean. Standard library only.
"""
import argparse
import csv
import json
import os
import random
import statistics

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--strategy", default="weaknas")
args = parser.parse_args()

rows = [r for r in csv.DictReader(open(os.path.join(args.out, "summary.csv"))) if not r.get("constraint")]
runs = {}
for line in open(os.path.join(args.out, "runs.jsonl")):
    if line.strip():
        r = json.loads(line)
        runs[(r["dataset"], r["strategy"], r["seed"])] = r["found_optimum_at"] if r["found_optimum_at"] is not None else r["budget"]


def interval(diffs):
    rng = random.Random(20)
    means = sorted(statistics.fmean(rng.choices(diffs, k=len(diffs))) for _ in range(10_000))
    return means[249], means[9_749]


for dataset in sorted({r["dataset"] for r in rows}):
    print(f"{dataset}:\n")
    print(f"| strategy | reached | mean (median) | 95 % CI of the mean | seconds per run | against {args.strategy}: {args.strategy} fewer / other fewer / tie | other − {args.strategy}, mean (95 % CI) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    mine = {s: q for (d, st, s), q in runs.items() if d == dataset and st == args.strategy}
    for r in sorted((r for r in rows if r["dataset"] == dataset), key=lambda r: float(r["mean_queries"])):
        name = r["strategy"]
        cells = f"| {'**' + name + '**' if name == args.strategy else name} | {r['reached']}/{r['runs']} | {float(r['mean_queries']):.1f} ({float(r['median_queries']):g}) | {float(r['ci_low']):.1f}–{float(r['ci_high']):.1f} | {float(r['mean_seconds']):.1f} |"
        if name == args.strategy:
            print(cells + " | |")
            continue
        theirs = {s: q for (d, st, s), q in runs.items() if d == dataset and st == name}
        seeds = sorted(set(mine) & set(theirs))
        diffs = [theirs[s] - mine[s] for s in seeds]
        if not diffs:
            print(cells + " | | |")
            continue
        low, high = interval(diffs)
        wins, losses = sum(d > 0 for d in diffs), sum(d < 0 for d in diffs)
        print(cells + f" {wins} / {losses} / {len(diffs) - wins - losses} | {statistics.fmean(diffs):+.1f} ({low:+.1f} to {high:+.1f}) |")
    print()
