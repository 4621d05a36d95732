#!/usr/bin/env bash
# Installs the Debian 12 packages Strata needs that are missing; does nothing
# when all are present. Usage: deploy/install-deps.sh [build|test]...
#   build  compilers, CMake and every library the broker links (default)
#   test   also what the tests drive Strata with
set -euo pipefail

build_packages=(
  g++ cmake ninja-build pkg-config ccache
  libasio-dev libprotobuf-dev protobuf-compiler libgrpc++-dev protobuf-compiler-grpc
  librocksdb-dev libspdlog-dev zlib1g-dev libzstd-dev liblz4-dev libsnappy-dev
  libcli11-dev nlohmann-json3-dev prometheus-cpp-dev libcpp-httplib-dev liburing-dev
)
test_packages=(catch2)

wanted=()
groups=("$@")
[ ${#groups[@]} -eq 0 ] && groups=(build)
for group in "${groups[@]}"; do
  case "$group" in
    build) wanted+=("${build_packages[@]}") ;;
    test) wanted+=("${build_packages[@]}" "${test_packages[@]}") ;;
    *) echo "install-deps: unknown group '$group' (expected build or test)" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}" >&2
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
