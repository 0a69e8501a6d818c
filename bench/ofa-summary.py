#!/usr/bin/env python3
"""Tables of docs/results/ofa-mobilenetv3.md from `weaknas bench --space ofa-mbv3` run logs.

usage: bench/ofa-summary.py [--leader STRATEGY] POOL_RUNS.jsonl [...] -- OPEN_RUNS.jsonl [...]

--leader names the strategy of the "ahead" lines (default weaknas).

Every value is read from the runs' traces (the predicted top-1 of each query, in order): the best after N queries, the
first query at or above the pool's optimum, the seconds. A run that stopped at the optimum keeps its best for later N.
"""
import json, statistics, sys

PAPER_WEAKNAS_1000 = 82.8686  # the WeakNAS paper's 1,000-query subnet, predicted (shared/data/README.md)
CHECKPOINTS = [100, 200, 500, 1000]


def load(paths):
    runs = {}
    for path in paths:
        for line in open(path, encoding="utf-8"):
            r = json.loads(line)
            runs[(r["strategy"], r["seed"])] = r
    by = {}
    for (strategy, _), r in sorted(runs.items()):
        by.setdefault(strategy, []).append(r)
    return by


def best_at(r, n):
    return max(r["search"][: min(n, len(r["search"]))])


def reached(r, target, cap):
    for i, v in enumerate(r["search"][:cap]):
        if v >= target - 1e-9:
            return i + 1
    return None


def fmt(values):
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values) if len(values) > 1 else 0:.3f}"


def table(by, target, caps, label):
    print(f"| strategy | runs | " + " | ".join(f"best after {n}" for n in CHECKPOINTS)
          + f" | ≥ WeakNAS-1000 ({PAPER_WEAKNAS_1000}) at 1000 | "
          + " | ".join(f"{label} within {c}: runs, mean queries (a miss counts {c})" for c in caps) + " | seconds per run |")
    print("| --- | ---: | " + " | ".join("---:" for _ in CHECKPOINTS) + " | ---: | " + " | ".join("---:" for _ in caps) + " | ---: |")
    for strategy, runs in by.items():
        budget = max(r["budget"] for r in runs)
        cells = [fmt([best_at(r, n) for r in runs]) if n <= budget else "–" for n in CHECKPOINTS]
        paper = sum(best_at(r, 1000) >= PAPER_WEAKNAS_1000 for r in runs) if budget >= 1000 else None
        reach = []
        for c in caps:
            if any(len(r["search"]) < c and r.get("found_optimum_at") is None and not r.get("stop_at_optimum") for r in runs) or max(r["budget"] for r in runs) < c:
                reach.append("–")
                continue
            qs = [reached(r, target, c) for r in runs]
            reach.append(f"{sum(q is not None for q in qs)}, {statistics.mean(q or c for q in qs):.0f}")
        print(f"| {strategy} | {len(runs)} | " + " | ".join(cells) + (f" | {paper} of {len(runs)} | " if paper is not None else " | – | ") + " | ".join(reach)
              + f" | {statistics.mean(r['seconds'] for r in runs):.1f} |")


def mean_curve(runs, n):
    """The mean over runs of the best predicted top-1 after each of the first n queries (a stopped run keeps its best)."""
    curves = []
    for r in runs:
        best, curve = float("-inf"), []
        for v in r["search"][:n]:
            best = max(best, v)
            curve.append(best)
        curves.append(curve + [best] * (n - len(curve)))
    return [statistics.mean(c[i] for c in curves) for i in range(n)]


def ahead(by, leader="weaknas", n=1000):
    """The query from which the leader's mean best-so-far stays above each other strategy's, through query n."""
    if leader not in by:
        return
    mine = mean_curve(by[leader], n)
    parts = []
    for strategy, runs in by.items():
        if strategy == leader or max(r["budget"] for r in runs) < n:
            continue
        theirs = mean_curve(runs, n)
        first = n + 1
        while first > 1 and mine[first - 2] > theirs[first - 2]:
            first -= 1
        parts.append(f"{strategy} from query {first}" if first <= n else f"{strategy} not at query {n}")
    print(f"{leader} ahead (mean best so far, through query {n}) of " + ", ".join(parts))


def main():
    args = sys.argv[1:]
    leader = "weaknas"
    if args[:1] == ["--leader"]:
        leader, args = args[1], args[2:]
    split = args.index("--") if "--" in args else len(args)
    pool, open_ = load(args[:split]), load(args[split + 1:])
    target = max(max(r["search"]) for runs in pool.values() for r in runs if r.get("found_optimum_at")) if pool else None
    if pool:
        print(f"## In the pool (optimum predicted {target:.4f} %)\n")
        table(pool, target, [1000, 3000], "optimum")
        print()
        ahead(pool, leader)
        print()
    if open_:
        print(f"## In the open window (target: the pool's optimum, {target:.4f} %)\n" if target else "## In the open window\n")
        table(open_, target if target else float("inf"), [1000], "pool optimum matched")
        print()
        ahead(open_, leader)
        print()


main()
