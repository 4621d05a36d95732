#!/usr/bin/env bash
# Installs the Debian 12 packages (and npm packages) Strata needs that are
# missing; does nothing when all are present.
# Usage: deploy/install-deps.sh [build|test|cluster|kafka-clients|jvm]...
#   build          compilers, CMake and every library the broker links (default)
#   test           build + what the tests drive Strata with: Catch2, clang-14 and
#                  its libFuzzer runtime for the fuzz targets, etcd for the etcd
#                  client's tests (includes cluster, kafka-clients and jvm)
#   cluster        what a local cluster (deploy/local-cluster.sh) runs beside the
#                  brokers: etcd 3.4 (etcd-server) and etcdctl (etcd-client)
#   kafka-clients  the real Kafka clients of the compatibility suite (tests/system):
#                  kcat, librdkafka, confluent-kafka-python, kafka-python (Debian)
#                  and kafkajs 2.2.4 with pure-JS codecs (npm, pinned), installed
#                  into $STRATA_KAFKA_CLIENTS_DIR (default ~/.cache/strata/kafka-clients),
#                  outside the repository
#   jvm            a JDK (javac) and Maven for tests/jvm: Apache Kafka's Java
#                  client and tools, resolved by tests/jvm/resolve.sh (part of test)
set -euo pipefail

build_packages=(
  g++ cmake ninja-build pkg-config ccache
  libasio-dev libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  librocksdb-dev libspdlog-dev zlib1g-dev libzstd-dev liblz4-dev libsnappy-dev
  libcli11-dev nlohmann-json3-dev prometheus-cpp-dev libcpp-httplib-dev liburing-dev
)
# clang-14 + libclang-rt-14-dev (libFuzzer, ASan/UBSan runtimes) build the
# fuzz targets of deploy/test.sh's fuzz stage; llvm-14 has llvm-symbolizer for
# readable crash stacks. strace injects the EIO of the storage-error test.
test_packages=(catch2 clang-14 libclang-rt-14-dev llvm-14 strace)
# Cluster mode's metadata store: etcd 3.4 and its CLI. The package starts no
# daemon where there is no systemd; tests and local-cluster.sh start etcd by hand.
cluster_packages=(etcd-server etcd-client)
# python3-snappy/lz4/zstandard: kafka-python's codecs for compressed batches.
kafka_client_packages=(
  kcat librdkafka-dev python3-confluent-kafka python3-kafka
  python3-snappy python3-lz4 python3-zstandard
)
# tests/jvm: javac for the Java checks, mvn for tests/jvm/resolve.sh.
jvm_packages=(openjdk-17-jdk-headless maven)
# Exact versions; the codecs are pure JavaScript (no node-gyp build):
# kafkajs-snappy (snappyjs) for snappy, lz4js (LZ4 frames) and fzstd (zstd
# decompression) wrapped by tests/system/kafkajs_codecs.js.
npm_packages=(kafkajs@2.2.4 kafkajs-snappy@1.1.0 snappyjs@0.6.1 lz4js@0.2.0 fzstd@0.1.1)
kafka_clients_dir=${STRATA_KAFKA_CLIENTS_DIR:-${XDG_CACHE_HOME:-${HOME:-/root}/.cache}/strata/kafka-clients}

wanted=()
want_npm=false
groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(build)
for group in "${groups[@]}"; do
  case "$group" in
    build) wanted+=("${build_packages[@]}") ;;
    test) wanted+=("${build_packages[@]}" "${test_packages[@]}" "${cluster_packages[@]}"
                 "${kafka_client_packages[@]}" "${jvm_packages[@]}")
          want_npm=true ;;
    cluster) wanted+=("${cluster_packages[@]}") ;;
    kafka-clients) wanted+=("${kafka_client_packages[@]}"); want_npm=true ;;
    jvm) wanted+=("${jvm_packages[@]}") ;;
    *) echo "install-deps: unknown group '$group' (expected build, test, cluster, kafka-clients or jvm)" >&2
       exit 2 ;;
  esac
done
# Node.js and npm from Debian only when the machine has none (another
# nodejs build may already provide both commands).
if $want_npm && ! { command -v node && command -v npm; } >/dev/null; then
  wanted+=(nodejs npm)
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: reinstall only when one of the pinned versions is absent.
if $want_npm; then
  npm_missing=false
  for spec in "${npm_packages[@]}"; do
    name=${spec%@*} version=${spec##*@}
    manifest=$kafka_clients_dir/node_modules/$name/package.json
    if ! grep -q "\"version\": \"$version\"" "$manifest" 2>/dev/null; then npm_missing=true; fi
  done
  if $npm_missing; then
    echo "install-deps: npm install ${npm_packages[*]} into $kafka_clients_dir" >&2
    mkdir -p "$kafka_clients_dir"
    (cd "$kafka_clients_dir" &&
      npm install --no-audit --no-fund --no-package-lock --save-exact --silent \
        "${npm_packages[@]}" >/dev/null)
  fi
fi
