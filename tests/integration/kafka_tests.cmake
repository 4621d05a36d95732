# The Kafka listener against the real broker, through a tiny blocking Kafka
# client built on the codec (included from CMakeLists.txt here).
add_executable(kafka_integration_tests
  kafka_bad_input_test.cc
  kafka_client.cc
  kafka_delete_records_test.cc
  kafka_group_config_test.cc
  kafka_leader_epoch_test.cc
  kafka_listener_test.cc
  kafka_metrics_test.cc
  kafka_network_threads_test.cc
)
target_link_libraries(kafka_integration_tests
  PRIVATE strata_integration_support strata::kafka_protocol strata::storage PkgConfig::HTTPLIB
          Catch2::Catch2WithMain strata::warnings)
catch_discover_tests(kafka_integration_tests TEST_PREFIX "integration: "
  PROPERTIES LABELS integration)

# SASL on the Kafka listener (#16): a SCRAM client built on strata::security.
add_executable(kafka_sasl_integration_tests
  kafka_client.cc
  kafka_sasl_test.cc
)
target_link_libraries(kafka_sasl_integration_tests
  PRIVATE strata_integration_support strata::kafka_protocol strata::security strata::client
          Catch2::Catch2WithMain strata::warnings)
catch_discover_tests(kafka_sasl_integration_tests TEST_PREFIX "integration: "
  PROPERTIES LABELS integration)
