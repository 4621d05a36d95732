// Sends ten keyed records to a topic and prints where each landed.
//
//   produce [BROKER [TOPIC]]     defaults: 127.0.0.1:7070 example-topic

#include <atomic>
#include <cstdio>
#include <string>

#include <strata/producer.h>

int main(int argc, char** argv) {
  using namespace strata::client;
  ProducerOptions options;
  options.connection.bootstrap = argc > 1 ? argv[1] : "127.0.0.1:7070";
  const std::string topic = argc > 2 ? argv[2] : "example-topic";
  options.compression = CompressionType::lz4;

  auto producer = Producer::create(options);
  if (!producer.ok()) {
    std::fprintf(stderr, "%s\n", producer.status().to_string().c_str());
    return 1;
  }
  std::atomic<int> failures = 0;
  for (int i = 0; i < 10; ++i) {
    const std::string key = "user-" + std::to_string(i % 3);
    (*producer)->send(topic, key, "hello " + std::to_string(i), {{"source", "example"}},
                      [&failures, key](strata::Result<RecordMetadata> result) {
                        if (!result.ok()) {
                          std::fprintf(stderr, "%s\n", result.status().to_string().c_str());
                          ++failures;  // callbacks run on the producer's I/O threads
                          return;
                        }
                        std::printf("%s -> %s-%d @ %lld\n", key.c_str(), result->topic.c_str(),
                                    result->partition.value(),
                                    static_cast<long long>(result->offset.value()));
                      });
  }
  (*producer)->flush();
  (*producer)->close();
  return failures == 0 ? 0 : 1;
}
