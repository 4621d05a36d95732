#!/usr/bin/env bash
# run-log-bench.sh: `strata-bench log` (durable appends straight to
# storage::PartitionLog) beside this machine's durable-write bound, measured
# in the same run, every figure printed as a ratio to that bound.
#
#   tools/bench/run-log-bench.sh
#
# Environment:
#   DATA_DIR=/var/tmp   filesystem measured (a temp dir is made and removed there)
#   DURATION=10         measured seconds per strata-bench run (plus WARMUP)
#   WARMUP=1            unmeasured seconds at the start of each run
#   IN_FLIGHT=4         appends in flight per appender
#   DD_MIB=256          MiB written by each dd bound measurement
#   WARM_MIB=2048       MiB of the untimed warm-up write
#   PIPE=1              also measure the group-commit pipe (../shared/bench/tcplog.c)
#   BUILD=build/release build dir (configured Release, tests off)
#
# The bound (denominator) is dd_odsync_64k: `dd bs=64k oflag=dsync`, each
# 64 KiB write durable before the next, measured right before EACH Strata run
# (the disk of a shared VM drifts within minutes); each run's ratio uses the
# bound measured just before it. tcp_to_file_group_sync (tcplog:
# loopback TCP -> append -> back-to-back fdatasync) is the practical ceiling
# for group commit on this disk; it is printed beside it when PIPE=1.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$root/build/release}
DATA_DIR=${DATA_DIR:-/var/tmp}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-1}
IN_FLIGHT=${IN_FLIGHT:-4}
DD_MIB=${DD_MIB:-256}
WARM_MIB=${WARM_MIB:-2048}
PIPE=${PIPE:-1}
tcplog_src=$root/../shared/bench/tcplog.c

log() { printf '[log-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

dir=$(mktemp -d "$DATA_DIR/strata-log-bench.XXXXXX")
trap 'rm -rf "$dir"' EXIT

log "building strata-bench (Release) in $BUILD"
cmake -S "$root" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_TESTS=OFF \
  >"$dir/cmake.log" 2>&1 || { cat "$dir/cmake.log" >&2; exit 1; }
ninja -C "$BUILD" -j2 strata-bench >"$dir/ninja.log" 2>&1 || { cat "$dir/ninja.log" >&2; exit 1; }
bench=$BUILD/tools/bench/strata-bench

log "data dir $dir on $(findmnt -n -o FSTYPE,SOURCE -T "$dir" | tr -s ' ')"
log "warming the disk: untimed ${WARM_MIB} MiB write"
dd if=/dev/zero of="$dir/warm" bs=1M count="$WARM_MIB" conv=fdatasync status=none
rm -f "$dir/warm"

# MB/s (1e6) from dd's last line: "<bytes> bytes (...) copied, <s> s, ..."
dd_bound() {
  local out
  out=$(dd if=/dev/zero of="$dir/ddtest" bs=64k count=$((DD_MIB * 16)) oflag=dsync 2>&1 | tail -1)
  rm -f "$dir/ddtest"
  awk '{for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i - 1); printf "%.1f\n", $1 / s / 1e6}' \
    <<<"$out"
}

pipe_bound() {
  [ "$PIPE" = 1 ] && [ -f "$tcplog_src" ] && command -v gcc >/dev/null || { echo ""; return; }
  gcc -O2 -pthread -o "$dir/tcplog" "$tcplog_src" || { echo ""; return; }
  "$dir/tcplog" "$dir/tcplog.dat" 1024 group | sed -n 's/.*MBps=\([0-9.]*\).*/\1/p'
  rm -f "$dir/tcplog.dat"
}

pipe=$(pipe_bound)
[ -n "$pipe" ] && log "tcp_to_file_group_sync: $pipe MB/s"

runs=(
  "--layout shared --appenders 1 --batch-records 16"
  "--layout shared --appenders 1 --batch-records 64"
  "--layout shared --appenders 8 --batch-records 16"
  "--layout shared --appenders 8 --batch-records 64"
  "--layout per-appender --appenders 8 --batch-records 16"
  "--layout per-appender --appenders 8 --batch-records 64"
)
lines=()
for args in "${runs[@]}"; do
  bound=$(dd_bound)
  log "dd_odsync_64k: $bound MB/s; strata-bench log $args"
  # shellcheck disable=SC2086
  line=$("$bench" log --data-dir "$dir" --duration-s "$DURATION" --warmup-s "$WARMUP" \
    --in-flight "$IN_FLIGHT" --record-bytes 1024 $args --quiet)
  echo "$line dd_odsync_64k=$bound"
  lines+=("$line dd_odsync_64k=$bound")
done

echo
echo "date $(date -u +%Y-%m-%dT%H:%MZ)  cores $(nproc)  load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bound: dd_odsync_64k measured before each run (column dd)${pipe:+; tcp_to_file_group_sync = $pipe MB/s (x pipe)}"
printf '%-13s %4s %5s %8s %7s %6s %7s %10s %8s %8s %9s %8s\n' layout app batch "MB/s" "dd" "x dd" \
  "x pipe" "records/s" "p50 us" "p99 us" "p99.9 us" "app/sync"
for line in "${lines[@]}"; do
  awk -v pipe="${pipe:-0}" '{
    for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    xpipe = "-"
    if (pipe > 0) xpipe = sprintf("%.2f", f["mb_per_s"] / pipe)
    printf "%-13s %4d %5d %8.1f %7.1f %6.2f %7s %10.0f %8d %8d %9d %8.1f\n", f["layout"],
      f["appenders"], f["batch_records"], f["mb_per_s"], f["dd_odsync_64k"],
      f["mb_per_s"] / f["dd_odsync_64k"], xpipe, f["records_per_s"],
      f["p50_us"], f["p99_us"], f["p999_us"], f["appends_per_cycle"]
  }' <<<"$line"
done
echo "(MB/s = 1e6 bytes of 1 KiB record values per second, acknowledged durable: after"
echo " fdatasync; latency = append() call to the on_durable callback; app/sync = appends"
echo " per Flusher cycle)"
