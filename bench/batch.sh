#!/usr/bin/env bash
# Benchmark of a bureau's batch (issues 6 and 17). Prints the figures kept in
# BENCHMARKS.md and the budgets they are held to. Nothing here asserts.
#
# Usage: bench/batch.sh [N]     (default 500 documents)
# Environment: SEED (realistic batch, default 2021), JOBS (yusuan -j, default
# its own: all cores), CLI=0 skips the typst CLI (e.g. for the 5,000-document
# memory run), SWAP=0 skips the name-swap batch, TYPST=path of a typst CLI
# (else /work/typst-cli/bin/typst, else installed into the work folder).
#
# For each batch, realistic and name-swap:
#   (a) N documents built by one `yusuan build` process: time, peak memory;
#   (b) the same N documents compiled by the typst CLI 0.15.1, one process
#       per document, from the same templates and the data yusuan emits
#       (`--emit-data`), as many at a time as yusuan has workers;
#   ratio of throughputs (a)/(b).
# Then the warm floor: one document's compile + export in a warm process
# (examples/phases.rs over the realistic files, one thread), the per-document
# cost of the batch against it, and a cold start.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-500}
SEED=${SEED:-2021}
WORK=${YUSUAN_BENCH_DIR:-/tmp/yusuan-bench}
mkdir -p "$WORK"
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
cargo build --release --quiet
BIN=$PWD/target/release/yusuan
JOBS=${JOBS:-$(nproc)}
TYPST=${TYPST:-/work/typst-cli/bin/typst}
if [ "${CLI:-1}" != 0 ] && [ ! -x "$TYPST" ]; then
  TYPST=$WORK/typst-cli/bin/typst
  [ -x "$TYPST" ] || cargo install typst-cli --locked --version 0.15.1 --root "$WORK/typst-cli"
fi
py() { python3 -c "print($1)"; }

echo "机器：$(nproc) 核，$(free -g | awk '/Mem/ {print $2}') GiB；文档数 $N；yusuan -j $JOBS"
echo "开始时负载：$(cut -d' ' -f1-3 /proc/loadavg)"

# batch NAME DIR: builds DIR with yusuan, then with the typst CLI; sets
# RATE (documents per second), RSS (MB) and SECS for the caller.
batch() {
  local name=$1 data=$2 out=$WORK/out-$1 cli=$WORK/cli-$1
  rm -rf "$out" "$cli"
  echo "== $name：yusuan build，一个进程，-j $JOBS =="
  /usr/bin/time -f "%e %M %U %S" -o "$WORK/time-$name" \
    "$BIN" build "$data" -o "$out" --no-system-fonts --emit-data -j "$JOBS" 2>"$WORK/log-$name" \
    || { echo "yusuan build 失败，见 $WORK/log-$name"; tail -5 "$WORK/log-$name"; exit 1; }
  read -r SECS rss user sys < "$WORK/time-$name"
  local built pages
  built=$(ls "$out"/*.pdf | wc -l)
  pages=$(grep -o '（[0-9]* 页）' "$WORK/log-$name" | tr -dc '0-9\n' | awk '{s+=$1} END {print s+0}')
  RSS=$((rss / 1024))
  RATE=$(py "f'{$built/$SECS:.2f}'")
  echo "用时 ${SECS} s（CPU ${user}+${sys} s），生成 $built 个，共 $pages 页，$RATE 个/秒，峰值内存 $RSS MB"
  echo "每份：墙钟 $(py "f'{$SECS/$built*1000:.1f}'") ms；每个工作线程每份 $(py "f'{$SECS*$JOBS/$built*1000:.1f}'") ms；CPU $(py "f'{($user+$sys)/$built*1000:.1f}'") ms"
  [ "${CLI:-1}" = 0 ] && return
  echo "== $name：typst CLI，每份一个进程，同时 $JOBS 个 =="
  mkdir -p "$cli"
  local start end cli_secs cli_built
  start=$(date +%s.%N)
  # The data files only: --emit-data also writes the view's JSON Schema.
  find "$out" -name '*.json' ! -name '*.schema.json' | xargs -P "$JOBS" -I{} sh -c \
    'f={}; "$0" compile --features a11y-extras --root / --ignore-system-fonts \
       --font-path fonts/fandol --pdf-standard ua-1,a-2a --input data="$f" templates/main.typ \
       "$1/$(basename "$f" .json).pdf"' "$TYPST" "$cli" 2>"$WORK/log-cli-$name"
  end=$(date +%s.%N)
  cli_secs=$(py "f'{$end-$start:.2f}'")
  cli_built=$(ls "$cli"/*.pdf | wc -l)
  echo "用时 ${cli_secs} s，生成 $cli_built 个，$(py "f'{$cli_built/$cli_secs:.2f}'") 个/秒"
  echo "吞吐量之比 yusuan / typst CLI：$(py "f'{($built/$SECS)/($cli_built/$cli_secs):.2f}'") 倍"
  RATIO=$(py "f'{($built/$SECS)/($cli_built/$cli_secs):.2f}'")
}

rm -rf "$WORK/real" "$WORK/swap"
python3 bench/realistic.py "$WORK/real" "$N" --seed "$SEED"
"$BIN" check "$WORK/real" >/dev/null 2>"$WORK/check-real" \
  || { echo "合成数据没有通过 yusuan check："; tail -20 "$WORK/check-real"; exit 1; }
echo "真实感批量：seed $SEED，$N 个部门，全部通过 yusuan check（$(grep -c '^警告' "$WORK/check-real" || true) 个警告）"
RATIO=""
batch real "$WORK/real"
REAL_SECS=$SECS REAL_RSS=$RSS REAL_RATIO=$RATIO
if [ "${SWAP:-1}" != 0 ]; then
  python3 bench/synth.py data/101001-2021.toml "$WORK/swap" "$N"
  batch swap "$WORK/swap"
fi

echo "== 暖进程单份下限（examples/phases.rs，单线程，轮流用真实感文件中的 40 个）=="
cargo build --release --quiet --example phases
floor_out=$(YUSUAN_DIR="$WORK/real" target/release/examples/phases 40 | tail -1)
echo "$floor_out"
FLOOR=$(echo "$floor_out" | python3 -c "
import re, sys
a, b = map(float, re.findall(r'([0-9.]+) ms', sys.stdin.read())[:2])
print(f'{a + b:.1f}')")
echo "暖进程每份排版 + 导出：$FLOOR ms"

echo "== 冷启动生成一个文档（5 次取中位数） =="
for i in 1 2 3 4 5; do
  /usr/bin/time -f "%e" -o "$WORK/time-c$i" \
    "$BIN" build data/101001-2021.toml -o "$WORK/cold" --no-system-fonts 2>/dev/null
done
cat "$WORK"/time-c? | sort -n | sed -n 3p | sed 's/^/中位数 /; s/$/ s/'

echo "结束时负载：$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== 预算（issue 17） =="
per_worker=$(py "f'{$REAL_SECS*$JOBS/$N*1000:.1f}'")
echo "(b) 批量每份（每个工作线程）$per_worker ms ÷ 暖进程下限 $FLOOR ms = $(py "f'{$per_worker/$FLOOR:.2f}'") 倍（目标 ≤ 1.2）"
[ -n "$REAL_RATIO" ] && echo "(c) 真实感批量吞吐量为 typst CLI 的 $REAL_RATIO 倍（目标 ≥ 3）"
echo "(d) 峰值内存 $REAL_RSS MB（$N 份；目标 < 500 MB）"
