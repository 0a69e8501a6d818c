#!/usr/bin/env python3
"""Writes NAS-Bench-201's CIFAR-10 results as a user table of nb201.json: one column per edge, then val and test.

Usage: python3 nb201_user_table.py DATA_FOLDER OUT.csv
DATA_FOLDER holds nasbench201/nb201_means_200ep.csv (the shared data folder, or `weaknas data unpack --to DIR`).
Rows are in the benchmark's index order, so row i is NAS-Bench-201 index i.
"""
import csv
import sys

data, out = sys.argv[1], sys.argv[2]
edges = ["edge_0_1", "edge_0_2", "edge_1_2", "edge_0_3", "edge_1_3", "edge_2_3"]
with open(f"{data}/nasbench201/nb201_means_200ep.csv", newline="") as f:
    rows = sorted(csv.DictReader(f), key=lambda r: int(r["index"]))
with open(out, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(edges + ["val", "test"])
    for r in rows:
        # |op~0|+|op~0|op~1|+|op~0|op~1|op~2|: edges 0->1, 0->2, 1->2, 0->3, 1->3, 2->3
        ops = [t.split("~")[0] for t in r["arch_str"].replace("+", "").split("|") if t]
        w.writerow(ops + [r["c10valid_xvalid_acc"], r["c10_oritest_acc"]])
