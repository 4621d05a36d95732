// Creates a topic, describes it, lists every topic and shows the broker.
//
//   admin [BROKER [TOPIC [PARTITIONS]]]   defaults: 127.0.0.1:7070 example-topic 3

#include <cstdio>
#include <string>

#include <strata/admin.h>

int main(int argc, char** argv) {
  using namespace strata::client;
  AdminOptions options;
  options.connection.bootstrap = argc > 1 ? argv[1] : "127.0.0.1:7070";
  const std::string topic = argc > 2 ? argv[2] : "example-topic";
  const int partitions = argc > 3 ? std::stoi(argv[3]) : 3;

  auto admin = Admin::create(options);
  if (!admin.ok()) {
    std::fprintf(stderr, "%s\n", admin.status().to_string().c_str());
    return 1;
  }
  auto created = (*admin)->create_topic(topic, partitions, {{"retention.ms", "86400000"}});
  if (!created.ok() && created.code() != strata::ErrorCode::already_exists) {
    std::fprintf(stderr, "%s\n", created.to_string().c_str());
    return 1;
  }
  auto description = (*admin)->describe_topic(topic);
  if (!description.ok()) {
    std::fprintf(stderr, "%s\n", description.status().to_string().c_str());
    return 1;
  }
  for (const auto& p : description->partitions) {
    std::printf("%s-%d leader=%d log_start=%lld high_watermark=%lld\n", topic.c_str(),
                p.partition.value(), p.leader.value(),
                static_cast<long long>(p.log_start_offset.value()),
                static_cast<long long>(p.high_watermark.value()));
  }
  if (auto topics = (*admin)->list_topics(); topics.ok()) {
    for (const auto& t : *topics) std::printf("topic %s partitions=%d\n", t.name.c_str(), t.partitions);
  }
  if (auto broker = (*admin)->broker_info(); broker.ok()) {
    std::printf("broker %d version %s up %lld ms\n", broker->node_id.value(),
                broker->version.c_str(), static_cast<long long>(broker->uptime_ms));
  }
  return 0;
}
