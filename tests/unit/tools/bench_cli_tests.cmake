# strata-bench and strata CLI pieces that need no broker.
add_executable(bench_cli_tests bench_cli_test.cc)
target_link_libraries(bench_cli_tests
  PRIVATE strata_bench_log strata_cli_core strata::test_support Catch2::Catch2WithMain
          strata::warnings)
catch_discover_tests(bench_cli_tests TEST_PREFIX "tools: " PROPERTIES LABELS unit)
