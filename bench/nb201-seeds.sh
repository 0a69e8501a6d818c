#!/usr/bin/env bash
# Default WeakNAS searches on NAS-Bench-201 for a range of seeds, one JSON per seed, then a table.
# Resumable: a seed whose JSON exists is not run again.
# Usage: bench/nb201-seeds.sh [FIRST_SEED] [LAST_SEED] [DATASET] [OUT_DIR] [extra search options...]
set -euo pipefail
cd "$(dirname "$0")/.."
first=${1:-0}; last=${2:-9}; dataset=${3:-cifar10}; out=${4:-results/nb201-$dataset}
shift $(( $# < 4 ? $# : 4 )) || true
data=${WEAKNAS_DATA:-../shared/data}
mkdir -p "$out"
# WEAKNAS_CLI: an already built WeakNas.Cli.dll to use instead of building this checkout.
cli=${WEAKNAS_CLI:-}
if [ -z "$cli" ]; then
  dotnet build src/WeakNas.Cli -c Release -v quiet -nologo >/dev/null
  cli=src/WeakNas.Cli/bin/Release/net10.0/WeakNas.Cli.dll
fi
for seed in $(seq "$first" "$last"); do
  json="$out/seed-$seed.json"
  [ -f "$json" ] && continue
  dotnet "$cli" search --space nb201 --dataset "$dataset" --strategy weaknas --seed "$seed" \
    --data "$data" --no-progress --out "$json" "$@" > "$out/seed-$seed.txt"
done
printf '| seed | found optimum at query | best search acc | seconds |\n| --- | --- | --- | --- |\n'
for seed in $(seq "$first" "$last"); do
  json="$out/seed-$seed.json"
  found=$(grep -o '"found_optimum_at": [0-9a-z]*' "$json" | awk '{print $2}')
  seconds=$(grep -o '"seconds": [0-9.]*' "$json" | awk '{print $2}')
  best=$(tr -d '\n ' < "$json" | grep -o '"best":{[^}]*}' | grep -o '"search_acc":[0-9.]*' | cut -d: -f2)
  printf '| %s | %s | %s | %s |\n' "$seed" "$found" "$best" "$seconds"
done
