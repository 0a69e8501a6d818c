#!/usr/bin/env python3
"""Build DARTS's evaluation network for a genotype in PyTorch; train a small one on scikit-learn's digits, or count its parameters.

The evaluation command of a `weaknas search --space darts --evaluate ...` study:

    weaknas search --space darts --evaluate "/usr/bin/python3 examples/darts/train_darts.py {arch_json_file}" --budget 20

reads the genotype from the study's JSON file ("genotype": DARTS's Genotype(...) text), builds the network DARTS
evaluates cells in (a 3x3 stem to 3C channels; cells, the reduction cells at a third and two thirds of the depth doubling
the width; global pooling and a linear classifier; no auxiliary head), and trains it on the digits (1,797 8x8 images:
400 training, 700 validation, 697 test, a fixed split; Adam with a cosine schedule; fixed seeds, one thread,
deterministic algorithms). The last stdout line is {"accuracy": validation %, "test_accuracy", "train_seconds",
"params", "epochs"}. A real DARTS run trains on CIFAR-10 for 600 epochs with 36 channels and 20 cells: the digits
stand in so that the whole loop runs on a CPU in seconds (--channels 8 --cells 5 --epochs 4 by default).

--count-params prints {"cifar10": N, "imagenet": M} instead: the parameters of the genotype's CIFAR-10 network (36
channels, 20 cells, 10 classes, 3 input channels) and ImageNet network (48 channels, 14 cells, 1,000 classes, the three
stride-2 stems), counted by PyTorch over the built modules; a test compares them with weaknas's own count.

The modules follow the structure described in the DARTS paper and its evaluation code's conventions (ReLU-conv-BN
preprocessing, separable convolutions applied twice, dilated ones once, factorized reduction for a strided skip); they
are written here from that description.
"""
import argparse
import json
import sys
import time


def fail(message, code=2):
    print(f"train_darts.py: {message}", file=sys.stderr)
    sys.exit(code)


class Args(argparse.ArgumentParser):
    def error(self, message):
        fail(message)


def bounded(low, high):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not an integer")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is outside {low}..{high}")
        return value
    return parse


parser = Args(description="Train (or count) DARTS's network for a genotype.")
parser.add_argument("arch_json_file")
parser.add_argument("--count-params", action="store_true")
parser.add_argument("--channels", type=bounded(2, 256), default=8)
parser.add_argument("--cells", type=bounded(3, 40), default=5)
parser.add_argument("--epochs", type=bounded(1, 1000), default=4)
parser.add_argument("--seed", type=bounded(0, 2**31 - 1), default=0)
parser.add_argument("--metric", default=None)
args = parser.parse_args()

try:
    with open(args.arch_json_file) as f:
        request = json.load(f)
except OSError as e:
    fail(f"cannot read {args.arch_json_file}: {e.strerror}")
except json.JSONDecodeError as e:
    fail(f"{args.arch_json_file}: not JSON ({e.msg}, line {e.lineno})")
if not isinstance(request, dict) or not isinstance(request.get("normal"), list) or not isinstance(request.get("reduce"), list):
    fail(f"{args.arch_json_file}: expected a darts study's file, with \"normal\" and \"reduce\" edge lists")

OPS = ("max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5", "none")


def cell_edges(name):
    edges = request[name]
    if len(edges) != 8:
        fail(f"{args.arch_json_file}: the {name} cell has {len(edges)} edges, expected 8")
    result = []
    for e, edge in enumerate(edges):
        node = e // 2 + 2
        if not isinstance(edge, dict) or edge.get("op") not in OPS or not isinstance(edge.get("from"), int) or not 0 <= edge["from"] < node:
            fail(f"{args.arch_json_file}: {name} edge {e} is {json.dumps(edge)}; expected {{\"from\": 0..{node - 1}, \"to\": {node}, \"op\": one of {', '.join(OPS)}}}")
        result.append((edge["op"], edge["from"]))
    return result


normal, reduce = cell_edges("normal"), cell_edges("reduce")

try:
    import torch
    from torch import nn
except ImportError as e:
    fail(f"{e.name} is not installed for {sys.executable} (Debian: apt-get install python3-torch python3-sklearn, then run /usr/bin/python3)")

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)


def relu_conv_bn(c_in, c_out, kernel, stride, padding):
    return nn.Sequential(nn.ReLU(inplace=False), nn.Conv2d(c_in, c_out, kernel, stride, padding, bias=False), nn.BatchNorm2d(c_out))


def dil_conv(c_in, c_out, kernel, stride, padding, dilation):
    """ReLU, depthwise kxk (dilated), pointwise 1x1, batch norm."""
    return nn.Sequential(nn.ReLU(inplace=False),
                         nn.Conv2d(c_in, c_in, kernel, stride, padding, dilation=dilation, groups=c_in, bias=False),
                         nn.Conv2d(c_in, c_out, 1, bias=False), nn.BatchNorm2d(c_out))


def sep_conv(c_in, c_out, kernel, stride, padding):
    """A depthwise-separable convolution twice: the first carries the stride."""
    return nn.Sequential(dil_conv(c_in, c_in, kernel, stride, padding, 1), dil_conv(c_in, c_out, kernel, 1, padding, 1))


class FactorizedReduce(nn.Module):
    """Halves the resolution: two stride-2 1x1 convolutions, the second on the map shifted by one pixel, concatenated."""

    def __init__(self, c_in, c_out):
        super().__init__()
        self.relu = nn.ReLU(inplace=False)
        self.a = nn.Conv2d(c_in, c_out // 2, 1, stride=2, bias=False)
        self.b = nn.Conv2d(c_in, c_out - c_out // 2, 1, stride=2, bias=False)
        self.bn = nn.BatchNorm2d(c_out)

    def forward(self, x):
        x = self.relu(x)
        shifted = nn.functional.pad(x[:, :, 1:, 1:], (0, 1, 0, 1))
        return self.bn(torch.cat([self.a(x), self.b(shifted)], dim=1))


class Zero(nn.Module):
    def __init__(self, stride):
        super().__init__()
        self.stride = stride

    def forward(self, x):
        return x[:, :, ::self.stride, ::self.stride] * 0.0


def operation(name, channels, stride):
    if name == "max_pool_3x3":
        return nn.MaxPool2d(3, stride=stride, padding=1)
    if name == "avg_pool_3x3":
        return nn.AvgPool2d(3, stride=stride, padding=1, count_include_pad=False)
    if name == "skip_connect":
        return nn.Identity() if stride == 1 else FactorizedReduce(channels, channels)
    if name == "none":
        return Zero(stride)
    kernel = int(name[-1])
    if name.startswith("sep_conv"):
        return sep_conv(channels, channels, kernel, stride, kernel // 2)
    return dil_conv(channels, channels, kernel, stride, 2 * (kernel // 2), 2)


class Cell(nn.Module):
    def __init__(self, edges, c_prev_prev, c_prev, channels, reduction, reduction_prev):
        super().__init__()
        self.pre0 = FactorizedReduce(c_prev_prev, channels) if reduction_prev else relu_conv_bn(c_prev_prev, channels, 1, 1, 0)
        self.pre1 = relu_conv_bn(c_prev, channels, 1, 1, 0)
        self.inputs = [source for _, source in edges]
        self.ops = nn.ModuleList(operation(op, channels, 2 if reduction and source < 2 else 1) for op, source in edges)

    def forward(self, s0, s1):
        states = [self.pre0(s0), self.pre1(s1)]
        for node in range(4):
            states.append(sum(self.ops[e](states[self.inputs[e]]) for e in (2 * node, 2 * node + 1)))
        return torch.cat(states[2:], dim=1)


class Network(nn.Module):
    def __init__(self, channels, cells, classes, in_channels, imagenet=False):
        super().__init__()
        if imagenet:
            self.stem = nn.Sequential(
                nn.Conv2d(in_channels, channels // 2, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(channels // 2), nn.ReLU(inplace=False),
                nn.Conv2d(channels // 2, channels, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(channels))
            self.stem1 = nn.Sequential(nn.ReLU(inplace=False), nn.Conv2d(channels, channels, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(channels))
            c_prev_prev, c_prev, current, reduction_prev = channels, channels, channels, True
        else:
            self.stem = nn.Sequential(nn.Conv2d(in_channels, 3 * channels, 3, padding=1, bias=False), nn.BatchNorm2d(3 * channels))
            self.stem1 = None
            c_prev_prev, c_prev, current, reduction_prev = 3 * channels, 3 * channels, channels, False
        self.cells = nn.ModuleList()
        for i in range(cells):
            reduction = i in (cells // 3, 2 * cells // 3)
            if reduction:
                current *= 2
            self.cells.append(Cell(reduce if reduction else normal, c_prev_prev, c_prev, current, reduction, reduction_prev))
            reduction_prev = reduction
            c_prev_prev, c_prev = c_prev, 4 * current
        self.classifier = nn.Linear(c_prev, classes)

    def forward(self, x):
        s0 = self.stem(x)
        s1 = self.stem1(s0) if self.stem1 is not None else s0
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(s1.mean(dim=(2, 3)))


def count(model):
    return sum(p.numel() for p in model.parameters())


if args.count_params:
    print(json.dumps({"cifar10": count(Network(36, 20, 10, 3)), "imagenet": count(Network(48, 14, 1000, 3, imagenet=True))}))
    sys.exit(0)

try:
    import numpy as np
    from sklearn.datasets import load_digits
except ImportError as e:
    fail(f"{e.name} is not installed for {sys.executable} (Debian: apt-get install python3-sklearn)")

metric = args.metric or request.get("metric") or "accuracy"
try:
    digits = load_digits()
    order = np.random.RandomState(12345).permutation(len(digits.target))
    images = torch.tensor(digits.images[order] / 16.0, dtype=torch.float32).unsqueeze(1)
    labels = torch.tensor(digits.target[order], dtype=torch.long)
    train_x, train_y = images[:400], labels[:400]
    val_x, val_y = images[400:1100], labels[400:1100]
    test_x, test_y = images[1100:], labels[1100:]
    torch.manual_seed(args.seed)
    model = Network(args.channels, args.cells, 10, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
    loss_fn = nn.CrossEntropyLoss()
    batches = torch.Generator().manual_seed(args.seed)
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
        print(f"epoch {epoch + 1}/{args.epochs}: loss {loss.item():.4f}", file=sys.stderr)
    # Batch norm's running statistics lag far behind weights that changed this fast in so few steps: measure them again
    # over the training images with the final weights (a cumulative average), then evaluate.
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.reset_running_stats()
            module.momentum = None
    with torch.no_grad():
        for i in range(0, len(train_y), 50):
            model(train_x[i:i + 50])
    seconds = time.perf_counter() - started
    model.eval()
    with torch.no_grad():
        val = 100.0 * (model(val_x).argmax(1) == val_y).float().mean().item()
        test = 100.0 * (model(test_x).argmax(1) == test_y).float().mean().item()
except RuntimeError as e:
    fail(f"PyTorch failed: {str(e).splitlines()[0]}", 1)
print(json.dumps({metric: round(val, 4), "test_accuracy": round(test, 4), "train_seconds": round(seconds, 3), "params": count(model), "epochs": args.epochs}))
