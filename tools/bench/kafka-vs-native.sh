#!/usr/bin/env bash
# kafka-vs-native.sh: the same produce and consume workload through the Kafka
# protocol (librdkafka) and through the native API (libstrata), side by side
# against one fresh Release strata-broker (issue 4, part 5).
#
#   tools/bench/kafka-vs-native.sh
#
# Workload, both paths: one producer, COUNT records of 1 KiB random letters
# without keys, 1 partition, acks=all, linger 5 ms, 64 KiB batches, no
# compression; then one consumer reading the topic from its start. Each path
# has its own topic on the same broker. Rounds alternate which path goes
# first, so neither always gets the emptier disk.
#   native: strata-bench produce|consume (tools/bench, libstrata)
#   kafka:  kafka_bench produce|consume (tools/bench/kafka_bench.c on
#           librdkafka's C API, compiled here with cc against Debian's
#           librdkafka-dev; not part of the CMake build)
#
# Environment:
#   COUNT=1000000       records per produce run
#   ROUNDS=2            rounds (each: both paths produce, then both consume)
#   DATA_DIR=/var/tmp   where the broker's data dir is made (removed after)
#   BUILD=build/release build dir (configured Release, tests off)
#   NO_BUILD=1          use the binaries already in BUILD as they are
#   STRATA_CLI=...      the strata CLI (default: BUILD's), used to create topics
#
# Target (issue 4): Kafka-protocol produce and consume within 20% of native.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tools/bench/broker-lib.sh
. "$root/tools/bench/broker-lib.sh"
BUILD=${BUILD:-$root/build/release}
DATA_DIR=${DATA_DIR:-/var/tmp}
COUNT=${COUNT:-1000000}
ROUNDS=${ROUNDS:-2}

log() { printf '[kafka-vs-native %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

command -v pkg-config >/dev/null && pkg-config --exists rdkafka ||
  { log "librdkafka-dev missing: run deploy/install-deps.sh kafka-clients"; exit 1; }

dir=$(mktemp -d "$DATA_DIR/strata-kafka-vs-native.XXXXXX")
broker_pid=""
cleanup() {
  if [ -n "$broker_pid" ]; then
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

if [ -z "${NO_BUILD:-}" ]; then
  log "building (Release) in $BUILD"
  cmake -S "$root" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_TESTS=OFF \
    >"$dir/cmake.log" 2>&1 || { cat "$dir/cmake.log" >&2; exit 1; }
  ninja -C "$BUILD" -j2 strata-broker strata-bench strata >"$dir/ninja.log" 2>&1 ||
    { tail -30 "$dir/ninja.log" >&2; exit 1; }
fi
bench=$BUILD/tools/bench/strata-bench
cli=${STRATA_CLI:-$BUILD/tools/strata/strata}
kbench=$dir/kafka_bench
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror -o "$kbench" \
  "$root/tools/bench/kafka_bench.c" $(pkg-config --cflags --libs rdkafka)

log "starting strata-broker"
start_strata_broker "$BUILD/broker/strata-broker" "$dir"
log "broker pid $broker_pid: native=$native kafka=$kafka"
declare -A sum
add() { sum[$1]=$(awk -v a="${sum[$1]:-0}" -v b="$2" 'BEGIN {print a + b}'); }

produce() {  # path round
  local topic=bench-$1-$2 line
  if [ "$1" = native ]; then
    line=$("$bench" produce --broker "$native" --topic "$topic" --partitions 1 --message-bytes 1024 \
      --count "$COUNT" --acks all --linger-ms 5 --batch-bytes 65536 | head -1)
  else
    "$cli" --broker "$native" topic create "$topic" --partitions 1 >/dev/null
    line=$("$kbench" produce --broker "$kafka" --topic "$topic" --message-bytes 1024 \
      --count "$COUNT" --acks all --linger-ms 5 --batch-bytes 65536)
  fi
  echo "$1 round $2: $line"
  [ "$(field records "$line")" = "$COUNT" ] || { log "$1 produce delivered $(field records "$line")"; exit 1; }
  add "$1.produce" "$(field mb_per_s "$line")"
  add "$1.p50" "$(field p50_us "$line")"
  add "$1.p99" "$(field p99_us "$line")"
}

consume() {  # path round
  local topic=bench-$1-$2 line
  if [ "$1" = native ]; then
    line=$("$bench" consume --broker "$native" --topic "$topic" --message-bytes 1024 \
      --count "$COUNT" | head -1)
  else
    line=$("$kbench" consume --broker "$kafka" --topic "$topic" --message-bytes 1024 \
      --count "$COUNT")
  fi
  echo "$1 round $2: $line"
  [ "$(field records "$line")" = "$COUNT" ] || { log "$1 consume read $(field records "$line")"; exit 1; }
  add "$1.consume" "$(field mb_per_s "$line")"
}

for round in $(seq "$ROUNDS"); do
  if [ $((round % 2)) -eq 1 ]; then order=(native kafka); else order=(kafka native); fi
  for path in "${order[@]}"; do log "round $round: $path produce"; produce "$path" "$round"; done
  for path in "${order[@]}"; do log "round $round: $path consume"; consume "$path" "$round"; done
done

mean() { awk -v s="${sum[$1]}" -v n="$ROUNDS" 'BEGIN {printf "%.1f", s / n}'; }
ratio() { awk -v k="$(mean "kafka.$1")" -v n="$(mean "native.$1")" 'BEGIN {printf "%.2f", k / n}'; }
echo
echo "date $(date -u +%Y-%m-%dT%H:%MZ)  cores $(nproc)  load $(cut -d' ' -f1-3 /proc/loadavg)  librdkafka $(pkg-config --modversion rdkafka)"
echo "workload: $COUNT x 1 KiB, 1 partition, acks=all, linger 5 ms, 64 KiB batches; mean of $ROUNDS rounds"
printf '%-8s %14s %10s %10s %14s\n' path produce_MB/s p50_us p99_us consume_MB/s
for path in native kafka; do
  printf '%-8s %14s %10.0f %10.0f %14s\n' "$path" "$(mean "$path.produce")" \
    "$(mean "$path.p50")" "$(mean "$path.p99")" "$(mean "$path.consume")"
done
printf 'kafka/native: produce %s, consume %s (target: each >= 0.80)\n' "$(ratio produce)" "$(ratio consume)"
