#!/usr/bin/env bash
# The test command: installs what is missing, then
#   1. the fuzz stage: builds the libFuzzer targets of tests/fuzz with clang-14
#      under AddressSanitizer and UBSan in build/fuzz-clang and runs each for a
#      bounded time (`ctest -L fuzz`: 60 s for kafka_request, 30 s for
#      record_batch, in parallel); a crash, hang or sanitizer report fails;
#   2. builds Debug with the tests (GCC) under AddressSanitizer and
#      UndefinedBehaviorSanitizer and runs every test with CTest (its summary
#      line closes the output).
#   Every sanitizer (ASan with LeakSanitizer, UBSan, TSan) ends a process
#   that it reports on with exit code 66, in the tests and in the brokers they
#   start (tests/support/broker_process.h), so a report anywhere fails its
#   test; a stage in which CTest finds no test fails too (--no-tests=error).
#   STRATA_SANITIZE=thread deploy/test.sh   step 2 under ThreadSanitizer instead
#   STRATA_SANITIZE=none deploy/test.sh     step 2 as a plain Debug build
#   STRATA_FUZZ=0 deploy/test.sh            skip the fuzz stage (local use)
#   STRATA_FUZZ=only deploy/test.sh         run only the fuzz stage
set -euo pipefail
cd "$(dirname "$0")/.."

deploy/install-deps.sh test

fuzz=${STRATA_FUZZ:-1}
case "$fuzz" in
  0|1|only) ;;
  *) echo "test.sh: STRATA_FUZZ must be 0, 1 or only (got '$fuzz')" >&2; exit 2 ;;
esac

launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)

# Its own clang build, whatever STRATA_SANITIZE says: libFuzzer runs with ASan
# and UBSan. Tests off: only the fuzz targets and the libraries they link.
fuzz_stage() {
  local dir=build/fuzz-clang
  cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
    -DSTRATA_BUILD_TESTS=OFF -DSTRATA_BUILD_FUZZERS=ON \
    -DSTRATA_SANITIZE=address,undefined "${launcher[@]}" >/dev/null
  cmake --build "$dir" -j "$(nproc)" --target kafka_request_fuzz record_batch_fuzz
  local symbolizer=/usr/lib/llvm-14/bin/llvm-symbolizer
  (
    cd "$dir"
    if [ -x "$symbolizer" ]; then export ASAN_SYMBOLIZER_PATH=$symbolizer; fi
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=66
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=66
    ctest -L fuzz --no-tests=error --output-on-failure -j 2
  )
}
if [ "$fuzz" != 0 ]; then fuzz_stage; fi
if [ "$fuzz" = only ]; then exit 0; fi

sanitize=${STRATA_SANITIZE-address,undefined}
[ "$sanitize" = "none" ] && sanitize=""
build_dir=build/test-${sanitize:-plain}
build_dir=${build_dir//,/-}

cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRATA_BUILD_TESTS=ON \
  -DSTRATA_SANITIZE="$sanitize" "${launcher[@]}" >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

# One exit code for every sanitizer's report (not SIGABRT, which a crash
# gives too): abort_on_error=0 so ASan and LeakSanitizer exit with it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:exitcode=66}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=66}
export TSAN_OPTIONS=${TSAN_OPTIONS:-suppressions=$PWD/tests/tsan.supp:halt_on_error=1:exitcode=66}
cd "$build_dir"
exec ctest --no-tests=error --output-on-failure --timeout 600 -j "$(nproc)"
