#!/usr/bin/env bash
# Benchmark of a bureau's batch (issue 6). Prints the figures kept in
# BENCHMARKS.md. Usage: bench/batch.sh [N]   (default 500 documents)
#
# (a) N synthetic departments built by one `yusuan build` process;
# (b) the same N documents compiled by the official typst CLI, one process
#     per document, from the same templates and the data yusuan emits
#     (`--emit-data`), two at a time like yusuan's two workers;
# (c) one document from a cold start (a new process, fonts indexed anew).
# typst-cli is installed into the work folder by this script; it is never a
# dependency of the project.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
WORK=${YUSUAN_BENCH_DIR:-/tmp/yusuan-bench}
mkdir -p "$WORK"
cargo build --release --quiet
BIN=$PWD/target/release/yusuan
TYPST=$WORK/typst-cli/bin/typst
if [ ! -x "$TYPST" ]; then
  cargo install typst-cli --locked --version 0.15.1 --root "$WORK/typst-cli"
fi

rm -rf "$WORK/data" "$WORK/out" "$WORK/cli-out"
python3 bench/synth.py data/101001-2021.toml "$WORK/data" "$N"
echo "机器：$(nproc) 核，$(free -g | awk '/Mem/ {print $2}') GiB；文档数 $N"

echo "== (a) yusuan build，一个进程 =="
/usr/bin/time -f "%e %M" -o "$WORK/time-a" \
  "$BIN" build "$WORK/data" -o "$WORK/out" --no-system-fonts --emit-data 2>/dev/null
read -r secs_a rss_a < "$WORK/time-a"
built=$(ls "$WORK/out"/*.pdf | wc -l)
echo "用时 ${secs_a} s，生成 $built 个，$(python3 -c "print(f'{$built/$secs_a:.1f}')") 个/秒，峰值内存 $((rss_a / 1024)) MB"

echo "== (b) typst CLI，每个文档一个进程（并行 $(nproc)） =="
mkdir -p "$WORK/cli-out"
start=$(date +%s.%N)
ls "$WORK/out"/*.json | xargs -P "$(nproc)" -I{} sh -c \
  'f={}; "$0" compile --root / --ignore-system-fonts --font-path fonts/fandol \
     --pdf-standard a-2b --input data="$f" templates/main.typ \
     "$1/$(basename "$f" .json).pdf"' "$TYPST" "$WORK/cli-out"
end=$(date +%s.%N)
secs_b=$(python3 -c "print(f'{$end-$start:.2f}')")
cli_built=$(ls "$WORK/cli-out"/*.pdf | wc -l)
echo "用时 ${secs_b} s，生成 $cli_built 个，$(python3 -c "print(f'{$cli_built/$secs_b:.1f}')") 个/秒"
echo "吞吐量之比 yusuan / typst CLI：$(python3 -c "print(f'{($built/$secs_a)/($cli_built/$secs_b):.1f}')") 倍"

echo "== (c) 冷启动生成一个文档（5 次取中位数） =="
for i in 1 2 3 4 5; do
  /usr/bin/time -f "%e" -o "$WORK/time-c$i" \
    "$BIN" build data/101001-2021.toml -o "$WORK/cold" --no-system-fonts 2>/dev/null
done
cat "$WORK"/time-c? | sort -n | sed -n 3p | sed 's/^/中位数 /; s/$/ s/'
