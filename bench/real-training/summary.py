#!/usr/bin/env python3
"""Summarise bench/real-training/run.sh's studies as the Markdown tables of docs/results/real-training.md.

    bench/real-training/summary.py OUT_DIR [--seeds "0 1 2 3 4"] [--strategies "weaknas random evolution"] [--at "10 25 50 100"]
                                           [--threshold 98.5]

Reads each study digits-STRATEGY-seedSEED from OUT_DIR/runs.db with `weaknas study export` (WEAKNAS names the command,
default: dotnet run from this checkout) and prints, per strategy, the best validation accuracy after N trials (mean and
standard deviation over seeds), the test accuracy of each run's best network, failures and seconds; then WeakNAS against
each other strategy paired by seed; then every run. Standard library only.
"""
import argparse
import json
import math
import os
import shlex
import subprocess
import sys

here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("--seeds", default="0 1 2 3 4")
parser.add_argument("--strategies", default="weaknas random evolution")
parser.add_argument("--at", default="10 25 50 100")
parser.add_argument("--threshold", type=float, default=98.5)
args = parser.parse_args()
weaknas = shlex.split(os.environ.get("WEAKNAS", f"dotnet run --project {here}/src/WeakNas.Cli -c Release --"))
seeds = [int(s) for s in args.seeds.split()]
strategies = args.strategies.split()
at = [int(n) for n in args.at.split()]
storage = f"sqlite:///{os.path.abspath(args.out)}/runs.db"


def export(name):
    done = subprocess.run(weaknas + ["study", "export", name, "--storage", storage, "--format", "json"], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"summary.py: {done.stderr.strip()}")
    return json.loads(done.stdout)


def mean_sd(values):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    m = sum(values) / len(values)
    sd = math.sqrt(sum((v - m) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else 0.0
    return f"{m:.2f} ± {sd:.2f}"


class Run:
    def __init__(self, strategy, seed):
        data = export(f"digits-{strategy}-seed{seed}")
        self.strategy, self.seed = strategy, seed
        self.trials = sorted(data["trials"], key=lambda t: t["number"])
        finished = [t for t in self.trials if t["state"] in ("complete", "failed")]
        self.finished = len(finished)
        self.failed = sum(t["state"] == "failed" for t in self.trials)
        complete = [t for t in finished if t["state"] == "complete"]
        self.best = max(complete, key=lambda t: (t["value"], -t["number"])) if complete else None
        starts = [t["started_ms"] for t in self.trials if t["started_ms"] is not None]
        ends = [t["finished_ms"] for t in finished if t["finished_ms"] is not None]
        self.seconds = (max(ends) - min(starts)) / 1000 if starts and ends else None
        self.train_seconds = [t["metrics"]["train_seconds"] for t in complete]
        self.reached = next((t["number"] + 1 for t in finished if t["state"] == "complete" and t["value"] >= args.threshold), None)

    def best_after(self, n):
        """The best validation accuracy among the first n trials (None before the run got that far)."""
        if self.finished < n:
            return None
        values = [t["value"] for t in self.trials[:n] if t["state"] == "complete"]
        return max(values) if values else None


runs = {s: [Run(s, seed) for seed in seeds] for s in strategies}

print(f"| strategy | runs | " + " | ".join(f"best val. after {n}" for n in at) + " | test acc. of the best | its trial | "
      f"trials to {args.threshold:g} % (runs that got there) | failed trials | seconds per run | training s per trial |")
print("| --- | ---: | " + " | ".join("---:" for _ in at) + " | ---: | ---: | ---: | ---: | ---: | ---: |")
for s in strategies:
    rs = runs[s]
    reached = [r.reached for r in rs if r.reached is not None]
    train = [x for r in rs for x in r.train_seconds]
    print(f"| {s} | {len(rs)} | " + " | ".join(mean_sd([r.best_after(n) for r in rs]) for n in at)
          + f" | {mean_sd([r.best['metrics']['test_accuracy'] if r.best else None for r in rs])}"
          + f" | {mean_sd([r.best['number'] + 1 if r.best else None for r in rs])}"
          + f" | {f'{sum(reached) / len(reached):.1f}' if reached else '–'} ({len(reached)}/{len(rs)})"
          + f" | {sum(r.failed for r in rs)} | {mean_sd([r.seconds for r in rs])} | {sum(train) / max(len(train), 1):.2f} |")

print()
print("| paired by seed | " + " | ".join(f"after {n}: mean difference, wins/ties/losses" for n in at) + " |")
print("| --- | " + " | ".join("---" for _ in at) + " |")
for other in strategies[1:]:
    cells = []
    for n in at:
        pairs = [(a.best_after(n), b.best_after(n)) for a, b in zip(runs[strategies[0]], runs[other])]
        pairs = [(a, b) for a, b in pairs if a is not None and b is not None]
        if not pairs:
            cells.append("–")
            continue
        diff = [a - b for a, b in pairs]
        wins, ties = sum(d > 0 for d in diff), sum(d == 0 for d in diff)
        cells.append(f"{sum(diff) / len(diff):+.2f} pp, {wins}/{ties}/{len(diff) - wins - ties}")
    print(f"| {strategies[0]} − {other} | " + " | ".join(cells) + " |")

print()
print("| strategy | seed | trials | best val. | test | at trial | seconds | best architecture |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
for s in strategies:
    for r in runs[s]:
        b = r.best
        print(f"| {s} | {r.seed} | {r.finished} | {b['value'] if b else '–'} | {b['metrics']['test_accuracy'] if b else '–'} | "
              f"{b['number'] + 1 if b else '–'} | {r.seconds:.0f} | `{b['arch'] if b else ''}` |")
