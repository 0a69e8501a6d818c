#!/usr/bin/env python3
"""Writes a synthetic user table for layers.json: ROWS distinct architectures (default 3,000 of the 4,096) with a
learnable accuracy (per-layer block preferences, minus a penalty for two equal neighbouring blocks), the same function
as the project's tests use. A stand-in for a lab's past training runs, to exercise the strategies; not real training.

Usage: python3 layers_table.py OUT.csv [ROWS] [SEED]
"""
import csv
import itertools
import json
import random
import sys

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 11)
blocks = ["conv3", "conv5", "pool", "skip"]
prefer = [[1.0, 0.6, 0.2, 0.0], [0.4, 1.0, 0.1, 0.3], [0.2, 0.5, 1.0, 0.0],
          [1.0, 0.2, 0.4, 0.6], [0.1, 0.3, 0.6, 1.0], [0.5, 1.0, 0.0, 0.2]]


def score(arch):
    s = sum(prefer[l][b] for l, b in enumerate(arch))
    s -= 0.15 * sum(1 for l in range(5) if arch[l] == arch[l + 1])
    return 80 + 2 * s


archs = rng.sample(list(itertools.product(range(4), repeat=6)), rows)
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["arch", "accuracy", "test_accuracy"])
    for a in archs:
        text = json.dumps({f"layer{l + 1}": blocks[b] for l, b in enumerate(a)}, separators=(",", ":"))
        w.writerow([text, repr(score(a)), repr(score(a) - 0.5)])
