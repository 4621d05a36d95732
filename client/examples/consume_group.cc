// Reads a topic as a member of a consumer group, printing each record, and
// commits after every poll. Stops after MAX records or ten empty polls.
//
//   consume_group [BROKER [TOPIC [GROUP [MAX]]]]
//   defaults: 127.0.0.1:7070 example-topic example-group 100

#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include <strata/consumer.h>

int main(int argc, char** argv) {
  using namespace strata::client;
  using namespace std::chrono_literals;
  ConsumerOptions options;
  options.connection.bootstrap = argc > 1 ? argv[1] : "127.0.0.1:7070";
  const std::string topic = argc > 2 ? argv[2] : "example-topic";
  options.group_id = argc > 3 ? argv[3] : "example-group";
  const int max_records = argc > 4 ? std::stoi(argv[4]) : 100;
  options.auto_offset_reset = OffsetReset::earliest;
  options.enable_auto_commit = false;

  auto consumer = Consumer::create(options);
  if (!consumer.ok()) {
    std::fprintf(stderr, "%s\n", consumer.status().to_string().c_str());
    return 1;
  }
  if (auto status = (*consumer)->subscribe(topic); !status.ok()) {
    std::fprintf(stderr, "%s\n", status.to_string().c_str());
    return 1;
  }
  int seen = 0;
  for (int empty_polls = 0; seen < max_records && empty_polls < 10;) {
    auto records = (*consumer)->poll(500ms);
    if (!records.ok()) {
      std::fprintf(stderr, "%s\n", records.status().to_string().c_str());
      return 1;
    }
    empty_polls = records->empty() ? empty_polls + 1 : 0;
    for (const auto& record : *records) {
      // key and value are views into the fetched data, not NUL-terminated.
      const std::string_view key = record.key.value_or("(null)");
      const std::string_view value = record.value.value_or("(null)");
      std::printf("%s-%d @ %lld: %.*s = %.*s\n", record.topic.c_str(), record.partition.value(),
                  static_cast<long long>(record.offset.value()), static_cast<int>(key.size()),
                  key.data(), static_cast<int>(value.size()), value.data());
      ++seen;
    }
    if (!records->empty()) {
      if (auto status = (*consumer)->commit_sync(); !status.ok()) {
        std::fprintf(stderr, "commit: %s\n", status.to_string().c_str());
      }
    }
  }
  (*consumer)->close();
  return 0;
}
