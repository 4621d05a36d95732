# libstrata against the real broker (included from CMakeLists.txt here).
add_executable(client_integration_tests
  client_admin_test.cc
  client_group_test.cc
  client_idempotence_test.cc
  client_roundtrip_test.cc
)
target_link_libraries(client_integration_tests
  PRIVATE strata_integration_support strata::client Catch2::Catch2WithMain strata::warnings)
catch_discover_tests(client_integration_tests TEST_PREFIX "integration: "
  PROPERTIES LABELS integration)
