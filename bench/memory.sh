#!/usr/bin/env bash
# Memory of one long realistic batch (issue 17, budget d): builds N
# realistic departments (bench/realistic.py, seed 2021) in one `yusuan build`
# and prints, every INTERVAL seconds, how many PDFs are written and the
# memory of the run, yusuan and its worker processes added up: proportional
# (Pss: a page shared by several processes, such as the program's own code
# and embedded fonts, counted once in all) and resident (VmRSS: counted in
# each, so an upper bound); the highest of each sum so far (sampled every
# 0.2 s); and the highest peak (VmHWM) of any one process. Nothing asserts.
#
# Usage: bench/memory.sh N [INTERVAL]      (default 5000 documents, 30 s)
# Environment: JOBS (yusuan -j, default 2), PRELOAD (an allocator to try
# through LD_PRELOAD, e.g. /usr/lib/x86_64-linux-gnu/libjemalloc.so.2),
# YUSUAN_BENCH_DIR (work folder, default /tmp/yusuan-bench), YUSUAN_BIN (the
# program to measure, e.g. an older build to compare with; default this
# tree's release build, in CARGO_TARGET_DIR if set, built first).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-5000}
INTERVAL=${2:-30}
WORK=${YUSUAN_BENCH_DIR:-/tmp/yusuan-bench}
DATA=$WORK/memory-$N
OUT=$WORK/memory-$N-out
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
BIN=${YUSUAN_BIN:-}
if [ -z "$BIN" ]; then
  cargo build --release --quiet
  BIN=${CARGO_TARGET_DIR:-target}/release/yusuan
fi
# The k-th department does not depend on N: reuse a folder already made.
[ "$(ls "$DATA" 2>/dev/null | wc -l)" = "$N" ] || python3 bench/realistic.py "$DATA" "$N" --seed 2021 >/dev/null
rm -rf "$OUT" && mkdir -p "$OUT"
echo "程序 $BIN，文档数 $N，-j ${JOBS:-2}，分配器 ${PRELOAD:-glibc}，开始时负载 $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
# /usr/bin/time adds up the processor time of yusuan and its workers.
LD_PRELOAD=${PRELOAD:-} /usr/bin/time -o "$WORK/memory-$N.time" -f "%e %U %S" "$BIN" build "$DATA" \
  -o "$OUT" --no-system-fonts -j "${JOBS:-2}" >"$WORK/memory-$N.log" 2>&1 &
pid=$!
# The run's processes: time, yusuan and its children (the batch's workers).
tree() {
  local level=$pid
  while [ -n "$level" ]; do
    echo "$level"
    level=$(for p in $level; do cat /proc/"$p"/task/*/children 2>/dev/null; done | tr ' ' '\n' | grep . || true)
  done
}
# A worker may end between the listing and the reading: not an error.
kib() { for p in $(tree); do awk -v k="$1" '$1 == k":" {print $2}' "/proc/$p/$2" 2>/dev/null || true; done; }
sum_mb() { kib "$1" "$2" | awk '{s += $1} END {print int(s/1024)}'; }
max_mb() { kib VmHWM status | awk '$1 > m {m = $1} END {print int(m/1024)}'; }
echo "秒 已生成 Pss合计MB Pss合计最高MB 常驻合计MB 常驻合计最高MB 单个进程峰值MB"
pss_peak=0 rss_peak=0 one=0 last=$start
while kill -0 "$pid" 2>/dev/null; do
  sleep 0.2
  pss=$(sum_mb Pss smaps_rollup); [ "$pss" -gt "$pss_peak" ] && pss_peak=$pss
  rss=$(sum_mb VmRSS status); [ "$rss" -gt "$rss_peak" ] && rss_peak=$rss
  m=$(max_mb); [ "${m:-0}" -gt "$one" ] && one=$m
  if [ $(( $(date +%s) - last )) -ge "$INTERVAL" ]; then
    last=$(date +%s)
    echo "$(( last - start )) $(ls "$OUT" | wc -l) $pss $pss_peak $rss $rss_peak $one"
  fi
done
wait "$pid" && rc=0 || rc=$?
read -r wall user sys < <(tail -n 1 "$WORK/memory-$N.time") || true
echo "结束：$(( $(date +%s) - start )) 秒（墙钟 ${wall:-?} 秒，处理器 用户 ${user:-?} + 系统 ${sys:-?} 秒），$(ls "$OUT" | wc -l) 份，退出码 $rc，Pss 合计最高 $pss_peak MB，常驻合计最高 $rss_peak MB，单个进程峰值 $one MB，结束时负载 $(cut -d' ' -f1-3 /proc/loadavg)"
