#!/bin/bash
# Runs the same searches with two builds and compares their --out files, timings left out: a refactor that claims to
# change no result must print SAME for every line. Usage (from the checkout, both builds made with
# `dotnet build src/WeakNas.Cli -c Release -o DIR`):
#   bench/compare-builds.sh OLD_DIR NEW_DIR [DATA_DIR] [SCRATCH_DIR]
# The cases cover every strategy on NAS-Bench-201 (three datasets, seed noise, the paper setting, warm start), under
# table constraints and the runtime latency model, multi-objective search, NAS-Bench-101 (the embedded 1k sample), and
# declared spaces over user tables (made by the scripts in examples/declared-spaces).
set -eu
old=$1 new=$2 data=${3:-../shared/data} scratch=${4:-$(mktemp -d)}
examples=$(pwd)/examples/declared-spaces
python3 "$examples/nb201_user_table.py" "$data" "$scratch/nb201-cifar10.csv" \
  || { echo "compare-builds: could not make the declared NAS-Bench-201 table (see examples/declared-spaces)"; exit 2; }
python3 "$examples/layers_table.py" "$scratch/layers.csv"
cases=(
  "--strategy weaknas --seed 1000 --budget 300"
  "--strategy weaknas-ei --seed 1003 --budget 200 --dataset cifar100"
  "--strategy random --seed 1001 --budget 300 --dataset imagenet16-120"
  "--strategy evolution --seed 1002 --budget 300"
  "--strategy local --seed 1004 --budget 300 --dataset cifar100"
  "--strategy bananas --seed 1005 --budget 150"
  "--strategy weaknas --seed 7 --budget 200 --noise seed"
  "--strategy weaknas --seed 1000 --budget 200 --warm-start --stall-patience 3"
  "--strategy weaknas --seed 11 --budget 200 --paper"
  "--strategy weaknas --seed 1000 --budget 200 --constraint latency:pixel3<=p50"
  "--strategy evolution --seed 1000 --budget 200 --constraint params<=0.8"
  "--strategy bananas --seed 1000 --budget 120 --constraint latency:fpga<=p25"
  "--strategy weaknas --seed 1000 --budget 200 --constraint latency:raspi4<=p50 --latency-model"
  "--strategy random --seed 3 --budget 200 --constraint latency:pixel2<=p50 --latency-model"
  "--strategy weaknas --seed 1000 --budget 200 --objectives accuracy,latency:pixel3"
  "--strategy nsga2 --seed 1000 --budget 200 --objectives accuracy,latency:pixel3,params"
)
for s in weaknas weaknas-ei random evolution local bananas; do
  cases+=("--strategy $s --seed 1004 --budget 300 --space nb101")
  cases+=("--strategy $s --seed 1001 --budget 200 --space $examples/nb201.json --table $scratch/nb201-cifar10.csv --metric val --report-metric test")
  cases+=("--strategy $s --seed 1002 --budget 150 --space $examples/layers.json --table $scratch/layers.csv")
done
same=0 n=0
for args in "${cases[@]}"; do
  n=$((n + 1))
  for build in old new; do
    dir=$old; [ $build = new ] && dir=$new
    # shellcheck disable=SC2086
    dotnet "$dir/WeakNas.Cli.dll" search --no-progress --data "$data" $args --out "$scratch/$build-$n.json" > "$scratch/$build-$n.log" 2>&1
  done
  if python3 - "$scratch/old-$n.json" "$scratch/new-$n.json" <<'PY'
import json, sys
def strip(x):
    if isinstance(x, dict): return {k: strip(v) for k, v in x.items() if 'second' not in k}
    if isinstance(x, list): return [strip(v) for v in x]
    return x
a, b = (strip(json.load(open(p))) for p in sys.argv[1:])
sys.exit(0 if a == b else 1)
PY
  then echo "SAME $args"; same=$((same + 1)); else echo "DIFF $args"; fi
done
echo "compare-builds: $same of $n searches give the same --out file"
[ "$same" = "$n" ]
