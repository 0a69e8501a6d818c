#!/usr/bin/env python3
"""Example evaluation command for `weaknas worker --evaluate`.

weaknas writes the architecture to a JSON file and runs, for example,
    python3 examples/evaluate_nb201.py {arch_json_file}
The file holds {"study", "trial", "attempt", "space", "index", "arch", "metric", "edges": [{"from", "to", "op"}, ...]}.
A real script builds the network from `edges`, trains it and prints the validation accuracy. This one stands in for
training with a made-up score so the protocol can be tried without a GPU: the last line of stdout must be a JSON
object holding the study's metric (default "accuracy"); anything else on stdout or stderr is free-form logging.
"""
import json
import sys

with open(sys.argv[1]) as f:
    arch = json.load(f)

print(f"training trial {arch['trial']}: {arch['arch']}", file=sys.stderr)
score = {"none": 0.0, "skip_connect": 1.0, "avg_pool_3x3": 0.5, "nor_conv_1x1": 2.0, "nor_conv_3x3": 3.0}
accuracy = 60.0 + sum(score[e["op"]] for e in arch["edges"]) * 1.5
print(json.dumps({arch["metric"]: accuracy, "epochs": 0}))
