# The strata CLI binary against a real broker: happy paths and error exits.
add_executable(cli_integration_tests cli_test.cc)
target_link_libraries(cli_integration_tests
  PRIVATE strata_integration_support Catch2::Catch2WithMain strata::warnings)
target_compile_definitions(cli_integration_tests PRIVATE STRATA_CLI_PATH="$<TARGET_FILE:strata>")
add_dependencies(cli_integration_tests strata)
catch_discover_tests(cli_integration_tests TEST_PREFIX "integration: "
  PROPERTIES LABELS integration)
