#!/usr/bin/env bash
# run-client-bench.sh: strata-bench produce / consume / e2e through libstrata
# against a fresh Release strata-broker, beside this machine's bounds measured
# in the same run (issue 3, part 7).
#
#   tools/bench/run-client-bench.sh
#
# Environment:
#   DATA_DIR=/var/tmp   where the broker's data dir is made (removed after)
#   COUNT=1000000       records produced (1 producer, 1 partition, 1 KiB, acks=all)
#   E2E_S=10            measured seconds of the fixed-rate end-to-end run
#   CONSUME_RUNS=3      passes over the produced records; the median is reported
#   BUILD=build/release build dir (configured Release, tests off)
#   CMAKE_ARGS=         more configure arguments, e.g. -DCMAKE_CXX_FLAGS=-Wno-error=restrict
#
# Bounds: dd_odsync_64k (dd bs=64k oflag=dsync) as the fdatasync write bound;
# loopback TCP with iperf3 when installed (else tcplog none mode is not a
# substitute and the column stays empty). End-to-end runs at half the
# measured produce rate, latency from each record's intended send time.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$root/build/release}
DATA_DIR=${DATA_DIR:-/var/tmp}
COUNT=${COUNT:-1000000}
E2E_S=${E2E_S:-10}
CONSUME_RUNS=${CONSUME_RUNS:-3}

log() { printf '[client-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

dir=$(mktemp -d "$DATA_DIR/strata-client-bench.XXXXXX")
broker_pid=""
cleanup() {
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT

log "building (Release) in $BUILD"
# shellcheck disable=SC2086
cmake -S "$root" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_TESTS=OFF \
  ${CMAKE_ARGS:-} >"$dir/cmake.log" 2>&1 || { cat "$dir/cmake.log" >&2; exit 1; }
ninja -C "$BUILD" -j2 strata-broker strata-bench >"$dir/ninja.log" 2>&1 ||
  { tail -30 "$dir/ninja.log" >&2; exit 1; }
bench=$BUILD/tools/bench/strata-bench

log "warming the disk: untimed 2 GiB write"
dd if=/dev/zero of="$dir/warm" bs=1M count=2048 conv=fdatasync status=none
rm -f "$dir/warm"
out=$(dd if=/dev/zero of="$dir/ddtest" bs=64k count=4096 oflag=dsync 2>&1 | tail -1)
rm -f "$dir/ddtest"
dd_bound=$(awk '{for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i - 1); printf "%.1f", $1 / s / 1e6}' <<<"$out")
log "dd_odsync_64k: $dd_bound MB/s"
loopback=""
if command -v iperf3 >/dev/null; then
  iperf3 -s -1 -p 5299 >/dev/null 2>&1 &
  sleep 0.5
  loopback=$(iperf3 -c 127.0.0.1 -p 5299 -t 5 -f m 2>/dev/null | awk '/receiver/ {print $(NF-2) * 1e6 / 8 / 1e6}')
  log "loopback_tcp_1stream: $loopback MB/s"
fi

log "starting strata-broker"
"$BUILD/broker/strata-broker" --data-dir "$dir/data" --listen 127.0.0.1:0 \
  --http-listen 127.0.0.1:0 >"$dir/broker.out" 2>"$dir/broker.err" &
broker_pid=$!
for _ in $(seq 100); do
  grep -q '^strata-broker ready' "$dir/broker.out" 2>/dev/null && break
  sleep 0.1
done
native=$(sed -n 's/^strata-broker ready native=\([^ ]*\).*/\1/p' "$dir/broker.out")
[ -n "$native" ] || { log "broker did not start"; cat "$dir/broker.err" >&2; exit 1; }
log "broker at $native"

produce=$("$bench" produce --broker "$native" --topic bench-1k --partitions 1 \
  --message-bytes 1024 --count "$COUNT" --acks all | head -1)
echo "$produce"
# A consume pass lasts about a second, so one pass swings by a third between
# runs: read the records CONSUME_RUNS times and report the median pass.
consumes=()
for _ in $(seq "$CONSUME_RUNS"); do
  consumes+=("$("$bench" consume --broker "$native" --topic bench-1k --message-bytes 1024 \
    --count "$COUNT" | head -1)")
  echo "${consumes[-1]}"
done
consume=$(printf '%s\n' "${consumes[@]}" |
  awk '{for (i = 1; i <= NF; i++) if ($i ~ /^mb_per_s=/) {split($i, kv, "="); print kv[2], $0}}' |
  sort -n | awk -v n="$CONSUME_RUNS" 'NR == int((n + 1) / 2) {$1 = ""; sub(/^ /, ""); print}')
consume_all=$(printf '%s\n' "${consumes[@]}" | sed -n 's/.*mb_per_s=\([0-9.]*\).*/\1/p' | paste -sd/)
max_rate=$(sed -n 's/.*records_per_s=\([0-9.]*\).*/\1/p' <<<"$produce")
half=$(awk -v r="$max_rate" 'BEGIN {printf "%.0f", r / 2}')
e2e=$("$bench" e2e --broker "$native" --topic bench-e2e --partitions 1 --message-bytes 1024 \
  --acks all --linger-ms 1 --rate "$half" \
  --duration-s "$E2E_S" | head -1)
echo "$e2e"

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
echo
echo "date $(date -u +%Y-%m-%dT%H:%MZ)  cores $(nproc)  load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "bounds: dd_odsync_64k = $dd_bound MB/s; loopback_tcp_1stream = ${loopback:-not measured} MB/s"
printf 'produce acks=all 1 KiB x %s: %s MB/s = %s x dd_odsync_64k, p50 %s us p99 %s us p99.9 %s us\n' \
  "$COUNT" "$(field mb_per_s "$produce")" \
  "$(awk -v a="$(field mb_per_s "$produce")" -v b="$dd_bound" 'BEGIN {printf "%.2f", a / b}')" \
  "$(field p50_us "$produce")" "$(field p99_us "$produce")" "$(field p999_us "$produce")"
printf 'consume (median of %s passes: %s MB/s): %s MB/s%s\n' "$CONSUME_RUNS" "$consume_all" \
  "$(field mb_per_s "$consume")" \
  "$([ -n "$loopback" ] && awk -v a="$(field mb_per_s "$consume")" -v b="$loopback" \
    'BEGIN {printf " = %.2f x loopback", a / b}')"
printf 'e2e at %s records/s (half of produce max), %s batches in flight: p50 %s us p99 %s us p99.9 %s us\n' \
  "$half" "$(field max_in_flight "$e2e")" \
  "$(field p50_us "$e2e")" "$(field p99_us "$e2e")" "$(field p999_us "$e2e")"
