#!/usr/bin/env bash
# Benchmark of `yusuan import` (issue 15). Prints the figures kept in
# BENCHMARKS.md; nothing here asserts.
#
# Usage: bench/import.sh [ROWS] [N]   (default 300 rows, 100 workbooks)
#        bench/import.sh rows R1 R2 …   (issue 29: one export of R rows each,
#        e.g. rows 1000 100000 1000000: time and peak memory of each import)
#   (a) one line-item export of ROWS rows imported into the multi-unit
#       sample's 2022 draft: wall time (median of 5 runs) and peak memory;
#   (b) N such workbooks imported in one run into N data files
#       (`--into DIR`): wall time and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-300}
N=${2:-100}
WORK=${YUSUAN_BENCH_DIR:-/tmp/yusuan-bench}/import
rm -rf "$WORK" && mkdir -p "$WORK/one" "$WORK/many/data" "$WORK/many/wb"
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
cargo build --release --quiet
cargo build --release --quiet --example import_workbooks
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/yusuan
GEN=$TARGET/release/examples/import_workbooks

cp data/215001-2021.toml "$WORK/one/"
(cd "$WORK/one" && "$BIN" new --from 215001-2021.toml --year 2022 >/dev/null 2>&1)

# measure LABEL CMD…: wall seconds and max RSS (MB) from /usr/bin/time -v.
measure() {
  local label=$1; shift
  /usr/bin/time -v "$@" >/dev/null 2>"$WORK/time.txt" || { cat "$WORK/time.txt"; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt")
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$WORK/time.txt")
  echo "$label：$wall（时:分:秒），峰值内存 $rss MB"
}

if [ "$ROWS" = rows ]; then
  shift
  echo "机器：$(nproc) 核；负载：$(cut -d' ' -f1-3 /proc/loadavg)"
  cd "$WORK/one"
  for R in "$@"; do
    "$GEN" 215001-2022.toml "$R" "rows-$R.xlsx" >/dev/null
    cp 215001-2022.toml target.toml
    measure "$R 行明细导入（工作簿 $(du -k "rows-$R.xlsx" | cut -f1) KB）" \
      "$BIN" import "rows-$R.xlsx" --into target.toml --force
    echo "  导入后的明细条数：$(grep -c '^\[\[line_items\]\]' target.toml)"
  done
  exit 0
fi
"$GEN" "$WORK/one/215001-2022.toml" "$ROWS" "$WORK/one/export.xlsx"
for i in $(seq -w 1 "$N"); do
  cp "$WORK/one/215001-2022.toml" "$WORK/many/data/d$i.toml"
  echo "$WORK/many/wb/d$i.xlsx"
done | xargs "$GEN" "$WORK/one/215001-2022.toml" "$ROWS"

echo "机器：$(nproc) 核；负载：$(cut -d' ' -f1-3 /proc/loadavg)"
cd "$WORK/one"
for k in 1 2 3 4 5; do
  cp 215001-2022.toml target.toml
  measure "(a) $ROWS 行明细导入，第 $k 次" "$BIN" import export.xlsx --into target.toml --force
done
echo "导入后的明细条数：$(grep -c '^\[\[line_items\]\]' target.toml)"
cd "$WORK/many"
measure "(b) $N 个工作簿（各 $ROWS 行）一次导入" "$BIN" import wb/*.xlsx --into data --force
echo "导入的文件数：$(grep -l '^\[\[line_items\]\]' data/*.toml | wc -l)"
