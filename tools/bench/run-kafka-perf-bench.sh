#!/usr/bin/env bash
# run-kafka-perf-bench.sh: Apache Kafka's own producer benchmark
# (kafka-producer-perf-test, org.apache.kafka.tools.ProducerPerformance from
# kafka-tools 4.4.0) against a fresh Release strata-broker, beside
# strata-bench produce (libstrata) for the same shape (issue 13, part 6),
# and the same perf test against Apache Kafka 4.4.0 as shipped (the reference
# broker, tests/system/kafka_reference.py) in the same run.
#
#   tools/bench/run-kafka-perf-bench.sh
#
# Workload: COUNT records of 1 KiB, acks=all, no compression, to a
# 1-partition and an 8-partition topic. The Java producer keeps its defaults
# otherwise (enable.idempotence=true, max.in.flight 5, linger.ms 5,
# batch.size 16384); strata-bench gets the same linger, batch size and 5
# batches in flight (per partition; the Java client counts per connection).
# Each run writes its own topic on its broker; rounds alternate which
# path goes first. Every figure is MB/s (1e6 bytes; perf-test prints MiB/s,
# converted here from its records/s), beside dd_odsync_64k measured in the
# same run (PEERS=1: beside /work/shared/bench/peers.sh physical too).
# The perf test's retried and failed records come from --print-metrics
# (producer-metrics record-retry-total, record-error-total).
#
# Environment:
#   COUNT=500000        records per run
#   ROUNDS=1            rounds (each: every path, every partition count)
#   PARTITIONS="1 8"    partition counts
#   DATA_DIR=/var/tmp   where the broker's data dir is made (removed after)
#   BUILD=build/release build dir (configured Release, tests off)
#   NO_BUILD=1          use the binaries already in BUILD as they are
#   PEERS=1             also run ../shared/bench/peers.sh physical (~2.5 min)
#   KAFKA=0             leave out the Apache Kafka reference runs
#
# Apache Kafka as shipped acknowledges acks=all once the in-sync replicas
# (here: one) have the records in the page cache; it does not fsync per
# request. Strata acknowledges only what is fdatasynced. The table says so.
#
# Targets (issue 13): no retried record; 1 partition >= 15 MB/s, 8 >= 80 MB/s
# with the Java client's defaults.
set -euo pipefail
export LC_ALL=C

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tools/bench/broker-lib.sh
. "$root/tools/bench/broker-lib.sh"
BUILD=${BUILD:-$root/build/release}
DATA_DIR=${DATA_DIR:-/var/tmp}
COUNT=${COUNT:-500000}
ROUNDS=${ROUNDS:-1}
PARTITIONS=${PARTITIONS:-1 8}
peers_sh=$root/../shared/bench/peers.sh

log() { printf '[kafka-perf-bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

command -v java >/dev/null || { log "java missing: run deploy/install-deps.sh jvm"; exit 1; }
classpath=$("$root/tests/jvm/resolve.sh" tools) || { log "tests/jvm/resolve.sh tools failed"; exit 1; }

dir=$(mktemp -d "$DATA_DIR/strata-kafka-perf.XXXXXX")
broker_pid=""
kafka_pid=""
cleanup() {
  local pid
  for pid in $broker_pid $kafka_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$dir"
}
trap cleanup EXIT

if [ -z "${NO_BUILD:-}" ]; then
  log "building (Release) in $BUILD"
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S "$root" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_TESTS=OFF \
    "${launcher[@]}" >"$dir/cmake.log" 2>&1 || { cat "$dir/cmake.log" >&2; exit 1; }
  ninja -C "$BUILD" -j2 strata-broker strata-bench strata >"$dir/ninja.log" 2>&1 ||
    { tail -30 "$dir/ninja.log" >&2; exit 1; }
fi
bench=$BUILD/tools/bench/strata-bench
cli=$BUILD/tools/strata/strata

log "warming the disk: untimed 1 GiB write"
dd if=/dev/zero of="$dir/warm" bs=1M count=1024 conv=fdatasync status=none
rm -f "$dir/warm"
# MB/s (1e6) from dd's last line: "<bytes> bytes (...) copied, <s> s, ..."
dd_bound() {
  local out
  out=$(dd if=/dev/zero of="$dir/ddtest" bs=64k count=4096 oflag=dsync 2>&1 | tail -1)
  rm -f "$dir/ddtest"
  awk '{for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i - 1); printf "%.1f\n", $1 / s / 1e6}' \
    <<<"$out"
}
dd_before=$(dd_bound)
log "dd_odsync_64k: $dd_before MB/s"

log "starting strata-broker"
start_strata_broker "$BUILD/broker/strata-broker" "$dir"
log "broker pid $broker_pid: native=$native kafka=$kafka"
# A --print-metrics value: "producer-metrics:NAME:{client-id=...} : 12.000".
metric() { awk -v n="producer-metrics:$1:" 'index($1, n) == 1 {printf "%d", $NF; exit}' "$2"; }
rows=()

perf_test() {  # label bootstrap partitions round
  local topic=$1-p$3-r$4 out=$dir/perf-$1-p$3-r$4.log summary rps mbps retries errors
  local -r label=$1 bootstrap=$2
  shift 2
  if [ "$label" = java ]; then
    "$cli" --broker "$native" topic create "$topic" --partitions "$1" >/dev/null
  else
    java -cp "$classpath" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" --create \
      --topic "$topic" --partitions "$1" --replication-factor 1 >"$out.create" 2>&1 ||
      { cat "$out.create" >&2; log "kafka topic create failed"; exit 1; }
  fi
  java -cp "$classpath" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    org.apache.kafka.tools.ProducerPerformance --bootstrap-server "$bootstrap" --topic "$topic" \
    --num-records "$COUNT" --record-size 1024 --throughput -1 \
    --command-property acks=all client.id=perf-p$1 --print-metrics >"$out" 2>&1 ||
    { tail -20 "$out" >&2; log "perf test failed"; exit 1; }
  # "N records sent, X records/sec (Y MB/sec), A ms avg latency, M ms max latency, ..."
  summary=$(grep -E '^[0-9]+ records sent, ' "$out" | tail -1)
  rps=$(awk '{print $4}' <<<"$summary")
  mbps=$(awk -v r="$rps" 'BEGIN {printf "%.1f", r * 1024 / 1e6}')
  retries=$(metric record-retry-total "$out")
  errors=$(metric record-error-total "$out")
  local ooo
  ooo=$(grep -c 'OUT_OF_ORDER_SEQUENCE_NUMBER' "$out" || true)
  echo "$label p$1 round $2: $summary" >&2
  rows+=("$label $1 $2 $mbps ${retries:-?} ${errors:-?} $ooo $(awk '{print $8}' <<<"$summary")")
}

java_run() { perf_test java "$kafka" "$@"; }
kafka_run() { perf_test kafka "$kafka_ref" "$@"; }

native_run() {  # partitions round
  local line
  line=$("$bench" produce --broker "$native" --topic "native-p$1-r$2" --partitions "$1" \
    --message-bytes 1024 --count "$COUNT" --acks all --linger-ms 5 --batch-bytes 16384 \
    --max-in-flight 5 | head -1)
  echo "native p$1 round $2: $line" >&2
  [ "$(field records "$line")" = "$COUNT" ] || { log "native delivered $(field records "$line")"; exit 1; }
  rows+=("native $1 $2 $(field mb_per_s "$line") - - - -")
}

paths=(java native)
if [ "${KAFKA:-1}" != 0 ]; then
  log "starting Apache Kafka (tests/system/kafka_reference.py)"
  mkdir "$dir/kafka"
  python3 "$root/tests/system/kafka_reference.py" --dir "$dir/kafka" >"$dir/kafka.out" \
    2>"$dir/kafka.err" &
  kafka_pid=$!
  for _ in $(seq 600); do
    grep -q '^kafka-reference ready' "$dir/kafka.out" 2>/dev/null && break
    kill -0 "$kafka_pid" 2>/dev/null || break
    sleep 0.2
  done
  kafka_ref=$(sed -n 's/^kafka-reference ready bootstrap=\([^ ]*\).*/\1/p' "$dir/kafka.out")
  [ -n "$kafka_ref" ] || { cat "$dir/kafka.err" >&2; log "Apache Kafka did not start"; exit 1; }
  log "Apache Kafka at $kafka_ref"
  paths+=(kafka)
fi

for round in $(seq "$ROUNDS"); do
  for p in $PARTITIONS; do
    order=("${paths[@]}")
    if [ $((round % 2)) -eq 0 ]; then  # even rounds run the paths in reverse
      order=()
      for ((i = ${#paths[@]} - 1; i >= 0; i--)); do order+=("${paths[i]}"); done
    fi
    for path in "${order[@]}"; do
      log "round $round: $path, $p partition(s), $COUNT x 1 KiB"
      "${path}_run" "$p" "$round"
    done
  done
done
dd_after=$(dd_bound)
log "dd_odsync_64k after: $dd_after MB/s"

peers=""
if [ "${PEERS:-0}" = 1 ] && [ -x "$peers_sh" ]; then
  for pid in $broker_pid $kafka_pid; do kill "$pid"; wait "$pid" 2>/dev/null || true; done
  broker_pid="" kafka_pid=""
  log "peers.sh physical"
  peers=$("$peers_sh" physical 2>"$dir/peers.err" || true)
fi

dd_mean=$(awk -v a="$dd_before" -v b="$dd_after" 'BEGIN {printf "%.1f", (a + b) / 2}')
echo
echo "date $(date -u +%Y-%m-%dT%H:%MZ)  commit $(git -C "$root" rev-parse --short HEAD)  cores $(nproc)  load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "workload: $COUNT x 1 KiB, acks=all; java: kafka-producer-perf-test 4.4.0 defaults (idempotence, 5 in flight, linger 5 ms, 16 KiB batches) to Strata's Kafka port; native: strata-bench produce --linger-ms 5 --batch-bytes 16384 --max-in-flight 5; kafka: the same perf test to Apache Kafka 4.4.0 as shipped (acks=all acknowledges from the page cache, no fsync)"
echo "bound: dd_odsync_64k $dd_before MB/s before, $dd_after after (ratios to the mean, $dd_mean)"
printf '%-7s %10s %6s %8s %8s %10s %10s %12s %8s\n' path partitions round MB/s x_dd retried failed out_of_order avg_ms
for row in "${rows[@]}"; do
  read -r path p r mbps retries errors ooo avg <<<"$row"
  printf '%-7s %10s %6s %8s %8s %10s %10s %12s %8s\n' "$path" "$p" "$r" "$mbps" \
    "$(awk -v m="$mbps" -v d="$dd_mean" 'BEGIN {printf "%.2f", m / d}')" "$retries" "$errors" \
    "$ooo" "$avg"
done
if [ -n "$peers" ]; then
  echo
  echo "peers.sh physical (same run, after the broker stopped):"
  echo "$peers"
fi
echo
echo "targets (issue 13, Java defaults): retried 0; 1 partition >= 15 MB/s; 8 partitions >= 80 MB/s"
