#!/usr/bin/env bash
# Builds Strata (Release) and starts a standalone broker in the foreground,
# installing the Debian packages it lacks first. Extra arguments go to
# strata-broker (see `strata-broker --help`); data goes to ./strata-data.
#   deploy/run-standalone.sh
#   deploy/run-standalone.sh --listen 127.0.0.1:7070 --log-level debug
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)

"$repo/deploy/install-deps.sh" build

build_dir="$repo/build/release"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S "$repo" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSTRATA_BUILD_TESTS=OFF \
  "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target strata-broker strata strata-bench strata-dump

echo "run-standalone: binaries are in $build_dir (broker/, tools/); starting strata-broker" >&2
exec "$build_dir/broker/strata-broker" "$@"
