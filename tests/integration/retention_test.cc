// Retention against a running broker: old segments go while a consumer
// reads, and consumers left behind the new log start follow
// auto.offset.reset.

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/client_helpers.h"
#include "tests/support/wait.h"

namespace strata::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kRounds = 25;
constexpr int kRecordsPerRound = 20;
constexpr int kRecords = kRounds * kRecordsPerRound;
constexpr std::int64_t kSegmentBytes = 4096;
constexpr std::int64_t kRetentionBytes = 16384;
const TopicPartition kP0{"retained", PartitionId(0)};

// 200-byte values that name their record: about one segment per round.
std::string value_of(int i) {
  std::string v = "value-" + std::to_string(i) + "-";
  v.resize(200, 'x');
  return v;
}

struct SegmentFile {
  std::int64_t base_offset = 0;
  std::uintmax_t size_bytes = 0;
};

// The partition's segment files, oldest first.
std::vector<SegmentFile> segment_files(const std::filesystem::path& dir) {
  std::vector<SegmentFile> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".log") continue;
    out.push_back({std::stoll(entry.path().stem().string()), entry.file_size(ec)});
  }
  std::sort(out.begin(), out.end(),
            [](const SegmentFile& a, const SegmentFile& b) { return a.base_offset < b.base_offset; });
  return out;
}

// Whether retention.bytes (Kafka's rule) leaves every segment on disk alone,
// i.e. the next retention check deletes nothing.
bool retention_settled(const std::vector<SegmentFile>& files) {
  if (files.size() < 2) return true;
  std::uintmax_t total = 0;
  for (const auto& f : files) total += f.size_bytes;
  return total - files.front().size_bytes < static_cast<std::uintmax_t>(kRetentionBytes);
}

Offset log_start_of(client::Admin& admin) {
  auto described = admin.describe_topic(kP0.topic);
  REQUIRE(described.ok());
  REQUIRE(described->partitions.size() == 1);
  return described->partitions[0].log_start_offset;
}

// Polls on its own thread until it has `count` records, `stop` is set, a
// poll fails, or the deadline passes. Catch2 is not thread-safe: the thread
// only records, the test thread checks.
class BackgroundConsumer {
 public:
  BackgroundConsumer(std::unique_ptr<client::Consumer> consumer, std::size_t count)
      : consumer_(std::move(consumer)), count_(count), thread_([this] { run(); }) {}
  ~BackgroundConsumer() { join(); }

  std::size_t received() const { return received_.load(); }
  void join() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  // After join(): what arrived, and the first poll error ("" when none).
  const std::vector<client::ConsumerRecord>& records() const { return records_; }
  const std::string& error() const { return error_; }

 private:
  void run() {
    const auto deadline = std::chrono::steady_clock::now() + 120s;
    while (!stop_ && records_.size() < count_ && std::chrono::steady_clock::now() < deadline) {
      auto polled = consumer_->poll(100ms);
      if (!polled.ok()) {
        error_ = polled.status().to_string();
        return;
      }
      for (auto& r : *polled) records_.push_back(std::move(r));
      received_ = records_.size();
    }
  }

  std::unique_ptr<client::Consumer> consumer_;
  const std::size_t count_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> received_{0};
  std::vector<client::ConsumerRecord> records_;  // the thread's until join()
  std::string error_;                            // the thread's until join()
  std::thread thread_;
};

client::ConsumerOptions reset_options(const std::string& group, client::OffsetReset reset) {
  client::ConsumerOptions options;
  options.group_id = group;
  options.auto_offset_reset = reset;
  options.enable_auto_commit = false;
  options.fetch_max_wait_ms = 100;
  return options;
}

// Commits offset 0 for `group`: a consumer of it starts behind the log start.
void commit_zero(const BrokerProcess& broker, const std::string& group) {
  auto consumer = make_consumer(broker, reset_options(group, client::OffsetReset::earliest));
  REQUIRE(consumer->assign({kP0}).ok());
  REQUIRE(consumer->commit_sync({{kP0, Offset(0)}}).ok());
  consumer->close();
}

}  // namespace

TEST_CASE("retention deletes old segments under a running consumer and consumers behind the "
          "new log start follow auto.offset.reset",
          "[integration][retention]") {
  BrokerProcess::Options broker_options;
  broker_options.extra_args = {"--retention-check-interval-ms", "50"};
  BrokerProcess broker(broker_options);
  REQUIRE(broker.start());
  auto admin = make_admin(broker);
  const Status created =
      admin->create_topic(kP0.topic, 1,
                          {{"segment.bytes", std::to_string(kSegmentBytes)},
                           {"retention.bytes", std::to_string(kRetentionBytes)}});
  INFO(created.to_string());
  REQUIRE(created.ok());
  const std::filesystem::path dir = broker.data_dir() / "retained-0";

  // The running consumer: assigned here, then polled only by its thread.
  client::ConsumerOptions running_options;
  running_options.auto_offset_reset = client::OffsetReset::earliest;
  running_options.enable_auto_commit = false;
  running_options.fetch_max_wait_ms = 100;
  auto running_consumer = make_consumer(broker, running_options);
  REQUIRE(running_consumer->assign({kP0}).ok());
  BackgroundConsumer running(std::move(running_consumer), kRecords);

  // Small batches, a round about one segment; the producer never runs more
  // than a round ahead of the consumer, so retention (which keeps at least
  // retention.bytes, several rounds) never overtakes it.
  client::ProducerOptions producer_options;
  producer_options.batch_size = 1024;
  auto producer = make_producer(broker, producer_options);
  for (int round = 0; round < kRounds; ++round) {
    const std::size_t behind_limit = static_cast<std::size_t>(std::max(0, round - 1) * kRecordsPerRound);
    REQUIRE(wait_until([&] { return running.received() >= behind_limit; }, 30s));
    std::vector<std::future<Result<client::RecordMetadata>>> sent;
    for (int i = round * kRecordsPerRound; i < (round + 1) * kRecordsPerRound; ++i) {
      sent.push_back(producer->send(kP0.topic, "key-" + std::to_string(i), value_of(i)));
    }
    producer->flush();
    for (auto& future : sent) {
      auto result = future.get();
      INFO((result.ok() ? std::string("ok") : result.status().to_string()));
      REQUIRE(result.ok());
    }
  }

  // Old segments go; the log start moves to the oldest segment kept.
  std::vector<SegmentFile> files;
  Offset log_start{0};
  const bool settled = wait_until(
      [&] {
        files = segment_files(dir);
        log_start = log_start_of(*admin);
        return log_start > Offset(0) && retention_settled(files) && !files.empty() &&
               Offset(files.front().base_offset) == log_start;
      },
      30s);
  INFO("segments on disk " << files.size() << ", log start " << log_start.value());
  REQUIRE(settled);
  CHECK(files.size() <= static_cast<std::size_t>(kRetentionBytes / kSegmentBytes) + 2);
  CHECK(files.back().base_offset > kRecords / 2);

  // The running consumer got every record, in order, without an error.
  REQUIRE(wait_until([&] { return running.received() >= static_cast<std::size_t>(kRecords); }, 60s));
  running.join();
  CHECK(running.error().empty());
  REQUIRE(running.records().size() == static_cast<std::size_t>(kRecords));
  for (int i = 0; i < kRecords; ++i) {
    const auto& record = running.records()[static_cast<std::size_t>(i)];
    REQUIRE(record.offset == Offset(i));
    REQUIRE(record.value == value_of(i));
  }

  // Retention has settled and nothing else is produced until the last
  // block, so the log start and end stay where they are.
  const Offset log_end{kRecords};
  REQUIRE(log_start_of(*admin) == log_start);

  {  // earliest: a group committed behind the log start resumes at the log start
    commit_zero(broker, "behind-earliest");
    auto consumer =
        make_consumer(broker, reset_options("behind-earliest", client::OffsetReset::earliest));
    REQUIRE(consumer->assign({kP0}).ok());
    const auto expected = static_cast<std::size_t>(log_end - log_start);
    auto records = consume(*consumer, expected, 30s);
    REQUIRE(records.size() == expected);
    CHECK(records.front().offset == log_start);
    CHECK(records.front().value == value_of(static_cast<int>(log_start.value())));
    CHECK(records.back().offset == log_end - 1);
  }
  {  // latest: a group committed behind the log start jumps to the end
    commit_zero(broker, "behind-latest");
    auto consumer =
        make_consumer(broker, reset_options("behind-latest", client::OffsetReset::latest));
    REQUIRE(consumer->assign({kP0}).ok());
    std::size_t stray = 0;
    const bool at_end = wait_until(
        [&] {
          auto polled = consumer->poll(100ms);
          REQUIRE(polled.ok());
          stray += polled->size();
          auto position = consumer->position(kP0);
          return position.ok() && *position == log_end;
        },
        30s);
    REQUIRE(at_end);
    CHECK(stray == 0);
    REQUIRE(producer->send(kP0.topic, "after", "after").get().ok());
    auto records = consume(*consumer, 1, 30s);
    REQUIRE(records.size() == 1);
    CHECK(records[0].offset == log_end);
    CHECK(records[0].value == "after");
  }
}

}  // namespace strata::testing
