#!/usr/bin/env bash
# Where one warm document's instructions go (issue 17): compile (layout,
# realization, ...) and PDF export (font subsetting, compression, tagging,
# writing). Counts instructions with callgrind, so the figures do not
# depend on what else the machine is doing.
#
# Usage: bench/profile.sh [DATA_DIR] [N]
#   DATA_DIR: folder of data files the documents cycle through (default: a
#   realistic batch from bench/realistic.py, seed 2021); N documents in one
#   process (default 4). The first document is the cold one; the table is
#   the mean of documents 2..N, each a different department. With
#   YUSUAN_UNTAGGED=1 the export has no structure tags and no PDF/A.
#
# callgrind dumps a profile before and after each Engine::compile and
# export::pdf::export call (yusuan's own functions around typst::compile and
# typst_pdf::pdf), so each phase of each document is its own profile.
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${YUSUAN_BENCH_DIR:-/tmp/yusuan-bench}
DATA=${1:-$WORK/profile-data}
N=${2:-4}
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
if [ -z "${1:-}" ]; then
  rm -rf "$DATA"
  python3 bench/realistic.py "$DATA" "$N" --seed 2021
fi
cargo build --release --quiet --example phases
OUT=$WORK/callgrind
rm -rf "$OUT" && mkdir -p "$OUT"
YUSUAN_DIR="$DATA" valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.out" \
  --dump-before='*Engine::compile' --dump-after='*Engine::compile' \
  --dump-before='*export::pdf::export' --dump-after='*export::pdf::export' \
  target/release/examples/phases "$N" 2>"$OUT/valgrind.log" >/dev/null
python3 bench/profile_table.py "$OUT" "$N"
