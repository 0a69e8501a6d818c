#!/usr/bin/env python3
"""The held-out ordering signal of `--greedy-when-sure`, read back from the runs of a `weaknas bench` folder.

    bench/held-out-tau.py OUT STRATEGY [--initial 10] [--per-iteration 5] [--explore 1] [--threshold 0.3] [--batches 8]

With `--greedy-when-sure`, each WeakNAS batch's draws from the top-N are evaluated in the order the predictor that chose
them ranks them (best first), so a run's query sequence (`search` in OUT/runs.jsonl) records how well each weak
predictor ordered its own picks before it saw their results. For every dataset, and after each complete batch k, this
prints the mean over the runs of Kendall's tau pooled over the pairs of the draws from the top-N of batches 0..k (the
value the strategy compares with its threshold before the next batch), the fraction of runs at or above --threshold,
and how many runs were still going. Standard library only.
"""
import argparse
import collections
import json
import os


def pairs(values):
    concordant = discordant = 0
    for i in range(len(values)):
        for j in range(i + 1, len(values)):
            if values[i] > values[j]:
                concordant += 1
            elif values[i] < values[j]:
                discordant += 1
    return concordant, discordant


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("strategy")
    parser.add_argument("--initial", type=int, default=10)
    parser.add_argument("--per-iteration", type=int, default=5)
    parser.add_argument("--explore", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=0.3)
    parser.add_argument("--batches", type=int, default=8)
    args = parser.parse_args()
    m, exploit = args.per_iteration, args.per_iteration - args.explore
    taus = collections.defaultdict(lambda: collections.defaultdict(list))
    with open(os.path.join(args.out, "runs.jsonl"), encoding="utf-8") as f:
        for line in f:
            run = json.loads(line)
            if run["strategy"] != args.strategy:
                continue
            search = run["search"]
            c = d = 0
            for k, start in enumerate(range(args.initial, len(search) - m + 1, m)):
                dc, dd = pairs(search[start:start + exploit])
                c, d = c + dc, d + dd
                taus[run["dataset"]][k].append((c - d) / (c + d) if c + d else 0.0)
    if not taus:
        raise SystemExit(f"held-out-tau: no runs of {args.strategy} in {args.out}/runs.jsonl")
    print(f"| dataset | {' | '.join(f'after batch {k + 1}' for k in range(args.batches))} |")
    print(f"| --- |{' ---: |' * args.batches}")
    for dataset, by_batch in taus.items():
        cells = []
        for k in range(args.batches):
            v = by_batch.get(k, [])
            cells.append(f"{sum(v) / len(v):.2f}, {sum(x >= args.threshold for x in v) / len(v):.0%} ({len(v)})" if v else "–")
        print(f"| {dataset} | {' | '.join(cells)} |")


if __name__ == "__main__":
    main()
