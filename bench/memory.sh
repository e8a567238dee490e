#!/usr/bin/env bash
# Memory of one long realistic batch (issue 17, budget d): builds N
# realistic departments (bench/realistic.py, seed 2021) in one `yusuan build`
# and prints, every INTERVAL seconds, how many PDFs are written and the
# process's resident memory (VmRSS) and peak (VmHWM). Nothing asserts.
#
# Usage: bench/memory.sh N [INTERVAL]      (default 5000 documents, 30 s)
# Environment: JOBS (yusuan -j, default 2), PRELOAD (an allocator to try
# through LD_PRELOAD, e.g. /usr/lib/x86_64-linux-gnu/libjemalloc.so.2),
# YUSUAN_BENCH_DIR (work folder, default /tmp/yusuan-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
INTERVAL=${2:-30}
WORK=${YUSUAN_BENCH_DIR:-/tmp/yusuan-bench}
DATA=$WORK/memory-$N
OUT=$WORK/memory-$N-out
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
cargo build --release --quiet
# The k-th department does not depend on N: reuse a folder already made.
[ "$(ls "$DATA" 2>/dev/null | wc -l)" = "$N" ] || python3 bench/realistic.py "$DATA" "$N" --seed 2021 >/dev/null
rm -rf "$OUT" && mkdir -p "$OUT"
echo "文档数 $N，-j ${JOBS:-2}，分配器 ${PRELOAD:-glibc}，开始时负载 $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
LD_PRELOAD=${PRELOAD:-} target/release/yusuan build "$DATA" -o "$OUT" --no-system-fonts \
  -j "${JOBS:-2}" >"$WORK/memory-$N.log" 2>&1 &
pid=$!
echo "秒 已生成 常驻MB 峰值MB"
while kill -0 "$pid" 2>/dev/null; do
  sleep "$INTERVAL"
  rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || true)
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$rss" ] && echo "$(( $(date +%s) - start )) $(ls "$OUT" | wc -l) $rss $hwm"
done
wait "$pid" && rc=0 || rc=$?
echo "结束：$(( $(date +%s) - start )) 秒，$(ls "$OUT" | wc -l) 份，退出码 $rc，结束时负载 $(cut -d' ' -f1-3 /proc/loadavg)"
