#!/usr/bin/env python3
"""The chaos test's evaluator: a deterministic score per architecture after a short random wait, logged.

Every evaluation it starts and every one it finishes is a line in $CHAOS_LOG ("start" / "done" with the trial, the
architecture and the value), so the chaos script can check that every result it finished was recorded, and that no
finished evaluation was started again. $CHAOS_SLEEP (seconds, default 0.8) is the longest wait.
"""
import hashlib
import json
import os
import random
import sys
import time

with open(sys.argv[1]) as f:
    arch = json.load(f)

log = os.environ["CHAOS_LOG"]
def note(kind, value=""):
    # One short line per write with O_APPEND: lines from concurrent evaluators never interleave.
    line = f"{kind}\t{arch['trial']}\t{arch['arch']}\t{value}\t{os.getpid()}\n".encode()
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)

note("start")
time.sleep(random.uniform(0, float(os.environ.get("CHAOS_SLEEP", "0.8"))))
score = {"none": 0.0, "skip_connect": 1.0, "avg_pool_3x3": 0.5, "nor_conv_1x1": 2.0, "nor_conv_3x3": 3.0}
noise = int(hashlib.sha256(arch["arch"].encode()).hexdigest()[:8], 16) / 2**32
value = round(60.0 + sum(score[e["op"]] for e in arch["edges"]) * 1.5 + 4 * noise, 6)
note("done", value)
print(json.dumps({arch["metric"]: value}))
