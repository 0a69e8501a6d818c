#!/usr/bin/env python3
"""Paired, seed-by-seed comparison of one strategy against the others in `weaknas bench` folders.

    bench/paired.py OUT [OUT ...] [--strategy weaknas] [--cap N] [--summary]

For every dataset (and constraint) in OUT/runs.jsonl, and every other strategy with runs on the same seeds: how many
seeds each needed fewer queries to the optimum (a run that never reached it counts as its budget), and the mean of
(other - strategy) with a 95 % bootstrap interval (10,000 resamples of the seeds, fixed seed, so the output is the same
every time). A positive difference means the strategy needed fewer queries.

--summary (one OUT) prints instead one table per dataset that also carries each strategy's row of OUT/summary.csv
(written by `weaknas bench`): runs that reached the optimum, mean (median) queries, the 95 % interval of the mean and
seconds per run, sorted by mean. Standard library only.
"""
import argparse
import csv
import json
import os
import random
import statistics


def load(folders, cap=None):
    """(dataset, constraint, strategy, seed) -> queries to the optimum, a miss counting as the budget (or as cap, and
    so does a run that reached it after cap queries: runs made with different budgets compare at the smaller)."""
    runs = {}
    for folder in folders:
        for line in open(os.path.join(folder, "runs.jsonl")):
            if not line.strip():
                continue
            r = json.loads(line)
            if r.get("objectives"):
                continue
            found = r["found_optimum_at"]
            queries = found if found is not None else r["budget"]
            runs[(r["dataset"], r.get("constraint"), r["strategy"], r["seed"])] = queries if cap is None else min(queries, cap)
    return runs


def interval(diffs):
    rng = random.Random(20)
    means = sorted(statistics.fmean(rng.choices(diffs, k=len(diffs))) for _ in range(10_000))
    return means[249], means[9_749]


def paired(runs, dataset, constraint, mine_name, other):
    """(seeds, strategy fewer, other fewer, mean difference, interval, strategy's mean, other's mean) or None."""
    mine = {seed: q for (d, c, s, seed), q in runs.items() if (d, c, s) == (dataset, constraint, mine_name)}
    theirs = {seed: q for (d, c, s, seed), q in runs.items() if (d, c, s) == (dataset, constraint, other)}
    seeds = sorted(set(mine) & set(theirs))
    if not seeds:
        return None
    diffs = [theirs[s] - mine[s] for s in seeds]
    return (len(seeds), sum(x > 0 for x in diffs), sum(x < 0 for x in diffs), statistics.fmean(diffs), interval(diffs),
            statistics.fmean(mine[s] for s in seeds), statistics.fmean(theirs[s] for s in seeds))


def comparison(runs, strategy):
    print("| dataset | against | seeds | fewer queries: strategy / other / tie | other's mean − strategy's mean (95 % bootstrap CI) | strategy's mean | other's mean |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: |")
    for dataset, constraint in sorted({(d, c) for d, c, _, _ in runs}, key=lambda x: (x[0], x[1] or "")):
        label = dataset + (f" {constraint}" if constraint else "")
        for other in sorted({s for (d, c, s, _) in runs if (d, c) == (dataset, constraint) and s != strategy}):
            p = paired(runs, dataset, constraint, strategy, other)
            if p is None:
                continue
            n, wins, losses, mean, (low, high), mine, theirs = p
            print(f"| {label} | {other} | {n} | {wins} / {losses} / {n - wins - losses} | {mean:+.1f} ({low:+.1f} to {high:+.1f}) | {mine:.1f} | {theirs:.1f} |")


def summary(folder, runs, strategy):
    rows = [r for r in csv.DictReader(open(os.path.join(folder, "summary.csv"))) if not r.get("constraint")]
    for dataset in sorted({r["dataset"] for r in rows}):
        print(f"{dataset}:\n")
        print(f"| strategy | reached | mean (median) | 95 % CI of the mean | seconds per run | against {strategy}: {strategy} fewer / other fewer / tie | other − {strategy}, mean (95 % CI) |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for r in sorted((r for r in rows if r["dataset"] == dataset), key=lambda r: float(r["mean_queries"])):
            name = r["strategy"]
            cells = (f"| {'**' + name + '**' if name == strategy else name} | {r['reached']}/{r['runs']} | {float(r['mean_queries']):.1f} ({float(r['median_queries']):g}) | "
                     f"{float(r['ci_low']):.1f}–{float(r['ci_high']):.1f} | {float(r['mean_seconds']):.1f} |")
            p = None if name == strategy else paired(runs, dataset, None, strategy, name)
            if p is None:
                print(cells + " | |")
                continue
            n, wins, losses, mean, (low, high), _, _ = p
            print(cells + f" {wins} / {losses} / {n - wins - losses} | {mean:+.1f} ({low:+.1f} to {high:+.1f}) |")
        print()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("out", nargs="+")
    parser.add_argument("--strategy", default="weaknas")
    parser.add_argument("--cap", type=int, help="count every run as at most this many queries (a miss within it as it)")
    parser.add_argument("--summary", action="store_true", help="one table per dataset with summary.csv's rows (one OUT)")
    args = parser.parse_args()
    if args.summary and len(args.out) != 1:
        parser.error("--summary reads one folder's summary.csv")
    runs = load(args.out, args.cap)
    if args.summary:
        summary(args.out[0], runs, args.strategy)
    else:
        comparison(runs, args.strategy)
