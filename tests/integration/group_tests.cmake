# Consumer-group membership against the real broker (included from
# CMakeLists.txt here).
add_executable(group_integration_tests
  group_membership_test.cc
)
target_link_libraries(group_integration_tests
  PRIVATE strata_integration_support strata::client Catch2::Catch2WithMain strata::warnings)
catch_discover_tests(group_integration_tests TEST_PREFIX "integration: "
  PROPERTIES LABELS integration)
