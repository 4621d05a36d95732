# Storage errors end to end: a broker on a small tmpfs that fills up (needs
# root for the mount, as on the development and CI machines).
add_executable(storage_error_integration_tests
  kafka_client.cc
  storage_error_test.cc
)
target_link_libraries(storage_error_integration_tests
  PRIVATE strata_integration_support strata::kafka_protocol PkgConfig::HTTPLIB
          Catch2::Catch2WithMain strata::warnings)
target_compile_definitions(storage_error_integration_tests PRIVATE
  STRATA_CLI_PATH="$<TARGET_FILE:strata>")
add_dependencies(storage_error_integration_tests strata)
catch_discover_tests(storage_error_integration_tests TEST_PREFIX "integration: "
  PROPERTIES LABELS integration)
