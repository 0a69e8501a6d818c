#!/usr/bin/env python3
"""Summarise a `weaknas bench --trace` folder: how WeakNAS's predictor ranked the space, iteration by iteration.

    bench/trace-summary.py OUT [OUT ...] [--versus weaknas-ei,bananas] [--seeds-table]

Reads OUT/runs.jsonl (queries to the optimum per run) and OUT/trace.jsonl (one line per WeakNAS iteration, written by
--trace). Prints Markdown per dataset and traced strategy:

* rank correlation of the predictor with the truth over the unevaluated space (Spearman) and within the predicted
  top-N (Kendall), by how many architectures the predictor was fitted on;
* where the optimum was in the predictor's order: the first iteration it entered the top-N, how many iterations it sat
  there before it was drawn, the queries spent meanwhile, and whether a top-N draw, an exploration draw or the initial
  random sample found it;
* what the draws were worth: the share of top-N and exploration draws that set a new best (by true rank);
* for every strategy of --versus present in runs.jsonl, the seeds it won and lost against each traced strategy, and the
  trace measures on the seeds it won compared with the others.

Standard library only. A run traced twice (an interrupted bench) keeps its last trace.
"""
import argparse
import json
import math
import os
import statistics
import sys

parser = argparse.ArgumentParser()
parser.add_argument("out", nargs="+")
parser.add_argument("--versus", default="weaknas-ei,bananas")
parser.add_argument("--seeds-table", action="store_true", help="also print one line per traced run")
args = parser.parse_args()

runs = {}
traces = {}
for folder in args.out:
    for line in open(os.path.join(folder, "runs.jsonl")):
        if not line.strip():
            continue
        r = json.loads(line)
        if r.get("constraint") or r.get("objectives"):
            continue
        budget = r["budget"]
        found = r["found_optimum_at"]
        runs[(r["dataset"], r["strategy"], r["seed"])] = found if found is not None else budget
    path = os.path.join(folder, "trace.jsonl")
    if not os.path.exists(path):
        continue
    steps = {}
    for line in open(path):
        if not line.strip():
            continue
        s = json.loads(line)
        key = (s["dataset"], s["strategy"], s["seed"])
        if s["iteration"] == 0:
            steps[key] = []
        steps.setdefault(key, []).append(s)
    traces.update(steps)

if not traces:
    sys.exit("trace-summary.py: no trace.jsonl with steps in " + ", ".join(args.out))


def mean(xs):
    xs = [x for x in xs if x is not None]
    return statistics.fmean(xs) if xs else float("nan")


def fmt(x, digits=2):
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def analyse(steps, found_at):
    """Per run: when the optimum entered the draw pool (the predicted top-N), how long it sat there undrawn, who found it."""
    entered = None  # told count when the optimum first sat in the top-N
    sat = 0  # iterations with the optimum in the top-N but not drawn
    finder = "initial" if found_at is not None and found_at <= steps[0]["told"] else None
    draws = {"exploit": [0, 0], "explore": [0, 0]}  # [draws, new bests]
    for s in steps:
        in_top = 1 in s["top_ranks"]
        if in_top and entered is None:
            entered = s["told"]
        best = s["best"]
        for kind in ("exploit", "explore"):
            for rank in s[kind]:
                draws[kind][0] += 1
                if rank < best:
                    draws[kind][1] += 1
                    best = rank
            if 1 in s[kind]:
                finder = "top-N" if kind == "exploit" else "explore"
        if in_top and 1 not in s["exploit"]:
            sat += 1
    return entered, sat, finder, draws


def buckets(told):
    for low, high in ((10, 30), (30, 60), (60, 100), (100, 200), (200, 10**9)):
        if low <= told < high:
            return f"{low}–{high - 1}" if high < 10**9 else f"{low}+"
    return None


order = ["10–29", "30–59", "60–99", "100–199", "200+"]
versus = [v for v in args.versus.split(",") if v]

# Overview: one line per dataset and traced strategy.
print("| dataset | strategy | runs | queries to the optimum: mean (median) | optimum entered the draw pool after: mean (median) | then drawn after: mean queries | Spearman at 30–59 / 100–199 | Kendall in the pool at 30–59 / 100–199 | exploration draws setting a new best |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for dataset in sorted({k[0] for k in traces}):
    for strategy in sorted({k[1] for k in traces if k[0] == dataset}):
        keys = sorted(k for k in traces if k[0] == dataset and k[1] == strategy)
        found = [runs[k] for k in keys if k in runs]
        entered, lag, explore, explore_good = [], [], 0, 0
        corr = {b: ([], []) for b in order}
        for k in keys:
            e, _, _, draws = analyse(traces[k], runs.get(k))
            if e is not None:
                entered.append(e)
                if k in runs:
                    lag.append(runs[k] - e)
            explore += draws["explore"][0]
            explore_good += draws["explore"][1]
            for s in traces[k]:
                b = buckets(s["told"])
                if b and s["optimum_rank"] is not None:
                    corr[b][0].append(s["spearman"])
                    corr[b][1].append(s["kendall_top"])
        print(f"| {dataset} | {strategy} | {len(keys)} | {fmt(mean(found), 1)} ({fmt(statistics.median(found) if found else None, 1)}) | "
              f"{fmt(mean(entered), 1)} ({fmt(statistics.median(entered) if entered else None, 0)}) | {fmt(mean(lag), 1)} | "
              f"{fmt(mean(corr['30–59'][0]))} / {fmt(mean(corr['100–199'][0]))} | {fmt(mean(corr['30–59'][1]))} / {fmt(mean(corr['100–199'][1]))} | "
              f"{explore_good} of {explore} |")
print()
for dataset in sorted({k[0] for k in traces}):
    for strategy in sorted({k[1] for k in traces if k[0] == dataset}):
        keys = sorted(k for k in traces if k[0] == dataset and k[1] == strategy)
        print(f"### {dataset}: {strategy} ({len(keys)} traced runs)\n")
        by = {b: ([], [], []) for b in order}
        for k in keys:
            for s in traces[k]:
                b = buckets(s["told"])
                if b and s["optimum_rank"] is not None:
                    by[b][0].append(s["spearman"])
                    by[b][1].append(s["kendall_top"])
                    by[b][2].append(s["optimum_rank"])
        print("| fitted on | iterations | Spearman (unevaluated space) | Kendall (predicted top-N) | optimum's predicted rank, median |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for b in order:
            if by[b][0]:
                print(f"| {b} | {len(by[b][0])} | {fmt(mean(by[b][0]))} | {fmt(mean(by[b][1]))} | {statistics.median(by[b][2]):.0f} |")
        print()
        rows = []
        totals = {"exploit": [0, 0], "explore": [0, 0]}
        finders = {}
        for k in keys:
            found = runs.get(k)
            entered, sat, finder, draws = analyse(traces[k], found if found is not None and found < 10**9 else None)
            rows.append((k, found, entered, sat, finder))
            for kind in totals:
                totals[kind][0] += draws[kind][0]
                totals[kind][1] += draws[kind][1]
            finders[finder] = finders.get(finder, 0) + 1
        reached = [r for r in rows if r[4] is not None]
        entered = [r[2] for r in rows if r[2] is not None]
        print(f"- optimum found by: " + ", ".join(f"{name or 'not found'} {count}" for name, count in sorted(finders.items(), key=lambda kv: -kv[1])))
        print(f"- the optimum entered the draw pool (the predicted top-N) in {len(entered)} of {len(rows)} runs, after {fmt(mean(entered), 1)} evaluations on average"
              f" (median {fmt(statistics.median(entered) if entered else None, 0)}); it then sat there undrawn for {fmt(mean([r[3] for r in rows if r[2] is not None]), 1)} iterations on average"
              f" (max {max([r[3] for r in rows if r[2] is not None], default=0)})")
        for kind in ("exploit", "explore"):
            n, good = totals[kind]
            if n:
                print(f"- {kind} draws: {n}, of which {good} set a new best ({100 * good / n:.1f} %)")
        queries = [r[1] for r in rows if r[1] is not None]
        if queries:
            print(f"- queries to the optimum: mean {mean(queries):.1f}, median {statistics.median(queries):.1f}")
        for other in [v for v in versus if v != strategy]:
            pairs = [(r, runs[(dataset, other, r[0][2])]) for r in rows if (dataset, other, r[0][2]) in runs and r[1] is not None]
            if not pairs:
                continue
            won = [p for p in pairs if p[1] < p[0][1]]
            lost = [p for p in pairs if p[1] > p[0][1]]
            print(f"- against {other} (paired by seed, {len(pairs)} seeds): {other} needed fewer queries on {len(won)}, more on {len(lost)}, as many on {len(pairs) - len(won) - len(lost)};"
                  f" mean {mean([p[1] for p in pairs]):.1f} against {mean([p[0][1] for p in pairs]):.1f}")
            for label, group in (("seeds it won", won), ("the other seeds", [p for p in pairs if p not in won])):
                if group:
                    g_entered = [p[0][2] for p in group if p[0][2] is not None]
                    g_sat = [p[0][3] for p in group if p[0][2] is not None]
                    gap = [p[0][1] - (p[0][2] or p[0][1]) for p in group]
                    print(f"  - on {label} ({len(group)}): {strategy} needed {mean([p[0][1] for p in group]):.1f} queries ({other} {mean([p[1] for p in group]):.1f}); "
                          f"optimum entered the top-N after {fmt(mean(g_entered), 1)} evaluations, sat undrawn {fmt(mean(g_sat), 1)} iterations, "
                          f"{fmt(mean(gap), 1)} queries from entering to drawn")
        if args.seeds_table:
            print("\n| seed | queries | entered top-N at | iterations undrawn in top-N | found by |")
            print("| ---: | ---: | ---: | ---: | --- |")
            for k, found, entered_at, sat, finder in rows:
                print(f"| {k[2]} | {found} | {entered_at if entered_at is not None else '–'} | {sat} | {finder or 'not found'} |")
        print()
