#!/usr/bin/env bash
# Real training, WeakNAS against random search and evolution (docs/results/real-training.md):
# every strategy × seed is one `weaknas search --evaluate` of examples/pytorch-digits (its own study in one SQLite file),
# trained by PyTorch on scikit-learn's digits. Rerun the same command after an interruption: finished studies are
# skipped, an interrupted one resumes where it stopped (no finished training is lost or repeated).
#
#   bench/real-training/run.sh OUT_DIR [--seeds "0 1 2 3 4"] [--strategies "weaknas random evolution"] [--budget 100]
#                              [--epochs 8] [--jobs 2] [--weaknas-options "--targets value"]
#
# WEAKNAS (default: dotnet run from this checkout) and PYTHON (default /usr/bin/python3, Debian's, which has
# python3-torch and python3-sklearn) name the programs. --jobs searches run at once (each trains on one thread).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: run.sh OUT_DIR [--seeds LIST] [--strategies LIST] [--budget N] [--epochs E] [--jobs J] [--weaknas-options OPTIONS]}
shift
seeds="0 1 2 3 4" strategies="weaknas random evolution" budget=100 epochs=8 jobs=2 weaknas_options=
while [ $# -gt 0 ]; do
  case $1 in
    --seeds) seeds=$2 ;; --strategies) strategies=$2 ;; --budget) budget=$2 ;; --epochs) epochs=$2 ;; --jobs) jobs=$2 ;; --weaknas-options) weaknas_options=$2 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
python=${PYTHON:-/usr/bin/python3}
weaknas=${WEAKNAS:-dotnet run --project $here/src/WeakNas.Cli -c Release --}
mkdir -p "$out"
out=$(cd "$out" && pwd)

one() { # one STRATEGY SEED: a search, resumed when it was started before; its log appended to OUT/STRATEGY-seedSEED.log
  local strategy=$1 seed=$2 extra=""
  [ "$strategy" = weaknas ] && extra=$weaknas_options
  # shellcheck disable=SC2086 # the WeakNAS options are words
  $weaknas search $extra --space "$here/examples/pytorch-digits/space.yaml" --strategy "$strategy" --seed "$seed" --budget "$budget" \
    --evaluate "$python $here/examples/pytorch-digits/train.py {arch_json_file} --epochs $epochs" \
    --storage "sqlite:///$out/runs.db" --study "digits-$strategy-seed$seed" --no-progress \
    --out "$out/$strategy-seed$seed.json" >>"$out/$strategy-seed$seed.log" 2>&1 \
    && echo "run.sh: $strategy seed $seed done" || { echo "run.sh: $strategy seed $seed failed (see $out/$strategy-seed$seed.log)" >&2; return 1; }
}

# Build once, so the parallel searches do not build the project at the same time.
[ -n "${WEAKNAS:-}" ] || dotnet build "$here/src/WeakNas.Cli" -c Release -v q >/dev/null
# Seeds outer, strategies inner: an interrupted bench has every strategy at about the same number of seeds.
status=0 running=0
for seed in $seeds; do
  for strategy in $strategies; do
    one "$strategy" "$seed" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n || status=1; running=$((running - 1)); fi
  done
done
while [ "$running" -gt 0 ]; do wait -n || status=1; running=$((running - 1)); done
exit $status
