#!/usr/bin/env python3
"""Train one architecture of examples/pytorch-digits/space.yaml on scikit-learn's 8x8 digits and report its accuracy.

The evaluation command of a WeakNAS.NET search or study:

    weaknas search --space examples/pytorch-digits/space.yaml \
        --evaluate "/usr/bin/python3 examples/pytorch-digits/train.py {arch_json_file}" --budget 60

weaknas writes the architecture to a JSON file whose "decisions" object holds the space's decisions (stages, then per
stage s1_channels, s1_kernel, s1_expand, s1_down, s1_skip, ...); this script builds that network, trains it on a fixed
training split of the 1,797 digits, and prints, as its last line, a JSON object with the validation accuracy (the
study's metric, "accuracy" unless --metric names another) and, as extra metrics, the test accuracy, the training
seconds, the number of parameters and the epochs. Everything else goes to stderr. On bad input or a failed training it
prints one line naming the problem to stderr and exits 2 (1 for a failure inside PyTorch).

The split (1,000 training, 397 validation, 400 test images) and every random draw (initial weights, batch order) come
from fixed seeds, and PyTorch runs deterministically on one thread, so a rerun gives the same accuracies.

Options (after the JSON file): --epochs N (default 15), --seed S (default 0), --threads T (default 1),
--metric NAME (default: the "metric" field of the JSON file, else "accuracy").
"""
import argparse
import json
import math
import sys
import time


def fail(message, code=2):
    print(f"train.py: {message}", file=sys.stderr)
    sys.exit(code)


def positive_int(text, low, high):
    def parse(value):
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{value}' is not an integer")
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{number} is outside {low}..{high}")
        return number
    parse.__name__ = text
    return parse


class Args(argparse.ArgumentParser):
    def error(self, message):
        fail(message)


parser = Args(description="Train one digits-cnn architecture and print its accuracy as JSON.")
parser.add_argument("arch_json_file")
parser.add_argument("--epochs", type=positive_int("epochs", 1, 1000), default=8)
parser.add_argument("--seed", type=positive_int("seed", 0, 2**31 - 1), default=0)
parser.add_argument("--threads", type=positive_int("threads", 1, 256), default=1)
parser.add_argument("--metric", default=None)
args = parser.parse_args()

try:
    with open(args.arch_json_file) as f:
        request = json.load(f)
except OSError as e:
    fail(f"cannot read {args.arch_json_file}: {e.strerror}")
except json.JSONDecodeError as e:
    fail(f"{args.arch_json_file}: not JSON ({e.msg}, line {e.lineno})")
if not isinstance(request, dict) or not isinstance(request.get("decisions"), dict):
    fail(f"{args.arch_json_file}: expected an object with a \"decisions\" object (a declared space's architecture)")
decisions = request["decisions"]
metric = args.metric or request.get("metric") or "accuracy"

CHOICES = {"channels": (8, 16, 32), "kernel": (3, 5), "expand": (1, 2, 4), "down": ("none", "maxpool", "stride"),
           "skip": (False, True)}


def decision(name, allowed):
    if name not in decisions:
        fail(f"{args.arch_json_file}: decision '{name}' is missing")
    value = decisions[name]
    if isinstance(value, bool) != isinstance(allowed[0], bool) or value not in allowed:
        fail(f"{args.arch_json_file}: decision '{name}' is {json.dumps(value)}, expected one of "
             f"{', '.join(json.dumps(a) for a in allowed)}")
    return value


stages = decision("stages", (3, 4, 5))
plan = [{key: decision(f"s{s}_{key}", allowed) for key, allowed in CHOICES.items()} for s in range(1, stages + 1)]

try:
    import numpy as np
    import torch
    from torch import nn
    from sklearn.datasets import load_digits
except ImportError as e:
    fail(f"{e.name} is not installed for {sys.executable} (Debian: apt-get install python3-torch python3-sklearn, "
         f"then run /usr/bin/python3; elsewhere: pip install torch scikit-learn)")

torch.set_num_threads(args.threads)
torch.use_deterministic_algorithms(True)


class Stage(nn.Module):
    """kxk convolution to channels*expand, batch norm, ReLU, 1x1 convolution to channels, batch norm; optionally a
    residual connection (through a 1x1 convolution when the shape changes); ReLU; stride 2 in the first convolution or a
    2x2 max pool after the block halves the resolution (skipped once the feature map is 1x1)."""

    def __init__(self, c_in, spec, size):
        super().__init__()
        c_out, inner = spec["channels"], spec["channels"] * spec["expand"]
        stride = 2 if spec["down"] == "stride" and size > 1 else 1
        self.body = nn.Sequential(
            nn.Conv2d(c_in, inner, spec["kernel"], stride=stride, padding=spec["kernel"] // 2, bias=False),
            nn.BatchNorm2d(inner), nn.ReLU(inplace=True),
            nn.Conv2d(inner, c_out, 1, bias=False), nn.BatchNorm2d(c_out))
        self.shortcut = None
        if spec["skip"]:
            same = c_in == c_out and stride == 1
            self.shortcut = nn.Identity() if same else nn.Sequential(
                nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out))
        self.relu = nn.ReLU(inplace=True)
        self.pool = nn.MaxPool2d(2) if spec["down"] == "maxpool" and size > 1 else None
        self.out_size = (size + 1) // 2 if stride == 2 else size
        if self.pool is not None:
            self.out_size = size // 2

    def forward(self, x):
        y = self.body(x)
        if self.shortcut is not None:
            y = y + self.shortcut(x)
        y = self.relu(y)
        return self.pool(y) if self.pool is not None else y


class Network(nn.Module):
    def __init__(self, plan):
        super().__init__()
        layers, c_in, size = [], 1, 8
        for spec in plan:
            stage = Stage(c_in, spec, size)
            layers.append(stage)
            c_in, size = spec["channels"], stage.out_size
        self.stages = nn.Sequential(*layers)
        self.head = nn.Linear(c_in, 10)

    def forward(self, x):
        return self.head(self.stages(x).mean(dim=(2, 3)))


TRAIN, VAL = 400, 700  # and 697 test images


def accuracy(model, x, y):
    model.eval()
    with torch.no_grad():
        return 100.0 * (model(x).argmax(dim=1) == y).float().mean().item()


try:
    digits = load_digits()
    order = np.random.RandomState(12345).permutation(len(digits.target))  # the split is the same for every run
    images = torch.tensor(digits.images[order] / 16.0, dtype=torch.float32).unsqueeze(1)
    labels = torch.tensor(digits.target[order], dtype=torch.long)
    train_x, train_y = images[:TRAIN], labels[:TRAIN]
    val_x, val_y = images[TRAIN:TRAIN + VAL], labels[TRAIN:TRAIN + VAL]
    test_x, test_y = images[TRAIN + VAL:], labels[TRAIN + VAL:]

    torch.manual_seed(args.seed)
    model = Network(plan)
    parameters = sum(p.numel() for p in model.parameters())
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loss_fn = nn.CrossEntropyLoss()
    batches = torch.Generator().manual_seed(args.seed)
    print(f"trial {request.get('trial')}: {request.get('arch')}: {parameters} parameters", file=sys.stderr)
    started = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        permutation = torch.randperm(len(train_y), generator=batches)
        for i in range(0, len(train_y), 50):
            batch = permutation[i:i + 50]
            optimizer.zero_grad()
            loss = loss_fn(model(train_x[batch]), train_y[batch])
            loss.backward()
            optimizer.step()
        schedule.step()
        if not math.isfinite(loss.item()):
            fail(f"training diverged at epoch {epoch + 1} (loss {loss.item()})", 1)
        print(f"epoch {epoch + 1}/{args.epochs}: loss {loss.item():.4f}", file=sys.stderr)
    seconds = time.perf_counter() - started
    val, test = accuracy(model, val_x, val_y), accuracy(model, test_x, test_y)
except RuntimeError as e:
    fail(f"PyTorch failed: {str(e).splitlines()[0]}", 1)

print(json.dumps({metric: round(val, 4), "test_accuracy": round(test, 4), "train_seconds": round(seconds, 3),
                  "params": parameters, "epochs": args.epochs}))
