#!/usr/bin/env bash
# The test command: installs what is missing, builds Debug with the tests under
# AddressSanitizer and UndefinedBehaviorSanitizer, and runs every test with
# CTest (its summary line closes the output).
#   STRATA_SANITIZE=thread deploy/test.sh   run under ThreadSanitizer instead
#   STRATA_SANITIZE=none deploy/test.sh     plain Debug build
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh test

sanitize=${STRATA_SANITIZE-address,undefined}
[ "$sanitize" = "none" ] && sanitize=""
build_dir=build/test-${sanitize:-plain}
build_dir=${build_dir//,/-}

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRATA_BUILD_TESTS=ON \
  -DSTRATA_SANITIZE="$sanitize" "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-suppressions=$PWD/tests/tsan.supp:halt_on_error=1}
cd "$build_dir"
exec ctest --output-on-failure --timeout 600 -j "$(nproc)"
