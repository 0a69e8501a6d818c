#!/usr/bin/env python3
"""Chaos test of studies: workers killed with SIGKILL at random while a study runs, and what must hold after.

    bench/chaos/chaos.py --storage sqlite:////tmp/chaos.db --workers 6 --budget 200 --runs 3
    bench/chaos/chaos.py --storage postgresql://postgres@localhost:55432/weaknas_test --workers 16 --budget 200 --runs 3

Each run creates a WeakNAS study on NAS-Bench-201 (evaluated by bench/chaos/evaluate.py, a deterministic score after a
random wait of up to --sleep seconds, which logs every evaluation it starts and finishes), starts --workers workers,
and every 1 to 3 s (--kill-every) kills one of them, chosen at random, with SIGKILL (the worker process alone, as
`kill -9` does: the command it runs goes on) and starts a new one in its place, until the study is done. Then it checks:

  * completed = budget, none failed;
  * no architecture is in the study twice;
  * every result the evaluator finished is recorded, with the value it printed (0 lost);
  * no evaluation that had finished was started again (0 duplicated);
  * the trajectory (the architectures by trial number, and their values) equals a single worker's without kills.

It prints one line per run and a summary, and exits 1 when any check fails. WEAKNAS (default: the CLI built in
Release beside this script) is the command that runs weaknas, e.g. WEAKNAS="dotnet src/WeakNas.Cli/bin/Release/net10.0/WeakNas.Cli.dll".
"""
import argparse
import json
import os
import random
import shlex
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def weaknas():
    given = os.environ.get("WEAKNAS")
    if given:
        return shlex.split(given)
    dll = os.path.join(ROOT, "src", "WeakNas.Cli", "bin", "Release", "net10.0", "WeakNas.Cli.dll")
    if not os.path.exists(dll):
        sys.exit(f"chaos: {dll} is not built; run `dotnet build -c Release` or set WEAKNAS")
    return ["dotnet", dll]


def run(args, check=True):
    done = subprocess.run(weaknas() + args, capture_output=True, text=True)
    if check and done.returncode != 0:
        sys.exit(f"chaos: weaknas {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done


def create(storage, name, budget, seed):
    run(["study", "create", name, "--storage", storage, "--space", "nb201", "--strategy", "weaknas", "--budget", str(budget),
         "--seed", str(seed), "--grace", "2", "--max-attempts", "1000", "--hidden", "64,64", "--epochs", "30"])


def export(storage, name):
    return json.loads(run(["study", "export", name, "--storage", storage, "--format", "json"]).stdout)


def worker_command(storage, name, results, log, sleep):
    env = dict(os.environ, CHAOS_LOG=log, CHAOS_SLEEP=str(sleep))
    env.pop("WEAKNAS_STORAGE", None)
    args = weaknas() + ["worker", name, "--storage", storage, "--results", results, "--max-failures", "0",
                        "--evaluate", f"python3 {shlex.quote(os.path.join(HERE, 'evaluate.py'))} {{arch_json_file}}"]
    return args, env


def start_worker(storage, name, results, log, sleep, out):
    args, env = worker_command(storage, name, results, log, sleep)
    return subprocess.Popen(args, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)


def read_log(log):
    starts, dones = {}, {}
    if os.path.exists(log):
        with open(log) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) != 5:
                    continue
                kind, trial, arch, value, _pid = parts
                if kind == "start":
                    starts.setdefault(arch, []).append(int(trial))
                elif kind == "done":
                    dones.setdefault(arch, []).append(float(value))
    return starts, dones


def trajectory(study):
    return [(t["number"], t["arch"], t["value"]) for t in sorted(study["trials"], key=lambda t: t["number"])]


def one_run(args, run_index, reference, folder):
    name = f"chaos-{os.getpid()}-{run_index}-{int(time.time())}"
    log = os.path.join(folder, f"{name}.log")
    results = os.path.join(folder, f"{name}.results")
    create(args.storage, name, args.budget, args.seed)
    rng = random.Random(args.seed * 1000 + run_index)
    out = open(os.path.join(folder, f"{name}.workers.txt"), "w")
    workers = [start_worker(args.storage, name, results, log, args.sleep, out) for _ in range(args.workers)]
    kills, started, clock = 0, len(workers), time.time()
    deadline = clock + args.timeout
    lo, hi = args.kill_every
    next_kill = time.time() + rng.uniform(lo, hi)
    while True:
        if all(w.poll() is not None for w in workers) and any(w.returncode == 0 for w in workers):
            break  # a worker that exits 0 has seen the study done, and then every worker does
        if time.time() > deadline:
            for w in workers:
                w.kill()
            sys.exit(f"chaos: run {run_index} did not finish in {args.timeout} s ({kills} kills); see {folder}")
        if time.time() >= next_kill:
            alive = [w for w in workers if w.poll() is None]
            if alive:
                victim = rng.choice(alive)
                os.kill(victim.pid, signal.SIGKILL)
                victim.wait()
                kills += 1
                workers.remove(victim)
                workers.append(start_worker(args.storage, name, results, log, args.sleep, out))
                started += 1
            next_kill = time.time() + rng.uniform(lo, hi)
        for w in workers:
            if w.poll() not in (None, 0):
                sys.exit(f"chaos: a worker exited with {w.returncode}; see {out.name}")
        time.sleep(0.05)
    seconds = time.time() - clock
    out.close()

    study = export(args.storage, name)
    trials = study["trials"]
    starts, dones = read_log(log)
    complete = [t for t in trials if t["state"] == "complete"]
    failed = [t for t in trials if t["state"] == "failed"]
    archs = [t["arch"] for t in trials]
    recorded = {t["arch"]: t["value"] for t in complete}
    lost = [a for a, values in dones.items() if a not in recorded or recorded[a] not in values]
    duplicated = [a for a, values in dones.items() if len(values) > 1]
    restarted = sum(len(v) - 1 for v in starts.values())
    same = trajectory(study) == reference
    ok = len(complete) == args.budget and not failed and len(set(archs)) == len(archs) and not lost and not duplicated and same
    print(f"run {run_index}: {'ok' if ok else 'FAILED'}: {len(complete)} of {args.budget} complete, {len(failed)} failed, "
          f"{len(archs) - len(set(archs))} architectures twice, {len(lost)} lost, {len(duplicated)} duplicated, "
          f"{kills} kills ({started} workers started), {restarted} unfinished evaluations started again, "
          f"trajectory {'equals' if same else 'DIFFERS FROM'} the single worker's; {seconds:.0f} s", flush=True)
    if not same:
        for a, b in zip(trajectory(study), reference):
            if a != b:
                print(f"  first difference: {a} vs {b}")
                break
    return ok, dict(kills=kills, lost=len(lost), duplicated=len(duplicated), restarted=restarted, seconds=seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--storage", required=True, help="sqlite:////abs/file.db or postgresql://...")
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--budget", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sleep", type=float, default=0.8, help="longest evaluation wait, seconds")
    parser.add_argument("--kill-every", type=float, nargs=2, default=[1.0, 3.0], metavar=("LO", "HI"))
    parser.add_argument("--timeout", type=float, default=1800, help="seconds a run may take")
    parser.add_argument("--folder", help="where logs and trial folders go (default: a temporary folder)")
    args = parser.parse_args()
    folder = args.folder or tempfile.mkdtemp(prefix="weaknas-chaos-")
    os.makedirs(folder, exist_ok=True)

    # The reference: one worker, no kills, no waits.
    name = f"chaos-{os.getpid()}-reference-{int(time.time())}"
    create(args.storage, name, args.budget, args.seed)
    cmd, env = worker_command(args.storage, name, os.path.join(folder, name + ".results"), os.path.join(folder, name + ".log"), 0)
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"chaos: the single worker failed: {done.stderr.strip()}")
    reference = trajectory(export(args.storage, name))
    print(f"chaos: {args.workers} workers on {args.storage.split('@')[-1]}, budget {args.budget}, a SIGKILL every "
          f"{args.kill_every[0]:g} to {args.kill_every[1]:g} s; logs in {folder}", flush=True)

    results = [one_run(args, i, reference, folder) for i in range(args.runs)]
    total = {k: sum(r[1][k] for r in results) for k in ("kills", "lost", "duplicated", "restarted")}
    passed = sum(1 for ok, _ in results if ok)
    print(f"chaos: {passed} of {args.runs} runs ok; {total['kills']} kills, {total['lost']} lost, {total['duplicated']} duplicated, "
          f"{total['restarted']} unfinished evaluations started again")
    sys.exit(0 if passed == args.runs else 1)


if __name__ == "__main__":
    main()
