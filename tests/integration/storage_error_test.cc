// A broker whose data dir runs out of space (a small tmpfs): storage errors on
// both ports, the reason in DescribeTopic, `strata topic describe` and
// /metrics, and writes again once space is free, without a restart and
// without losing or repeating an acknowledged record (#13).

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "common/record_batch.h"
#include "common/record_batch_builder.h"
#include "common/record_batch_reader.h"
#include "strata/v1/admin_service.grpc.pb.h"
#include "tests/integration/kafka_client.h"
#include "tests/integration/kafka_helpers.h"
#include "tests/integration/native_helpers.h"
#include "tests/support/broker_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tmpfs_mount.h"
#include "tests/support/wait.h"

extern char** environ;

namespace strata::testing {
namespace {

using namespace kafka;

constexpr std::uint64_t kFsBytes = 48ull << 20;
constexpr std::uint64_t kLeftAfterFill = 3ull << 20;
constexpr int kRecordsPerBatch = 50;
constexpr std::size_t kValueBytes = 1000;
constexpr int kPipelined = 4;
constexpr std::int16_t kStorageError = 56;

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A batch of kRecordsPerBatch values "r<id>:xxxx...", ids from `first_id`.
Buffer id_batch(int first_id) {
  RecordBatchBuilder builder;
  for (int i = 0; i < kRecordsPerBatch; ++i) {
    std::string value = "r" + std::to_string(first_id + i) + ":";
    value.resize(kValueBytes, 'x');
    (void)builder.append(1700000000000 + i, std::nullopt, as_bytes(value));
  }
  return builder.build().value();
}

std::vector<int> ids_of_batch(int first_id) {
  std::vector<int> ids;
  for (int i = 0; i < kRecordsPerBatch; ++i) ids.push_back(first_id + i);
  return ids;
}

// The record ids of partition 0 of `topic`, read through the Kafka port
// from offset 0 up to the high watermark, in offset order.
std::vector<int> read_ids(KafkaClient& client, const std::string& topic) {
  std::vector<int> ids;
  std::int64_t offset = 0;
  for (int guard = 0; guard < 100000; ++guard) {
    auto answer = client.call<FetchResponse>(11, fetch_one(topic, 0, offset));
    REQUIRE(answer);
    const auto& p = answer->responses.at(0).partitions.at(0);
    REQUIRE(p.error_code == 0);
    if (offset >= p.high_watermark) break;
    const std::string bytes = bytes_of(p.records);
    REQUIRE(!bytes.empty());
    ByteSpan rest = as_bytes(bytes);
    while (rest.size() >= batch_layout::kHeaderSize) {
      auto header = parse_batch_header(rest);
      REQUIRE(header.ok());
      if (header->size_bytes() > rest.size()) break;  // a partial batch at the end
      auto view = RecordBatchView::validate(rest.subspan(0, header->size_bytes()));
      REQUIRE(view.ok());
      auto records = read_records(*view);
      REQUIRE(records.ok());
      for (const Record& r : *records) {
        const std::string value(as_string_view(*r.value));
        ids.push_back(std::stoi(value.substr(1, value.find(':') - 1)));
      }
      offset = header->next_offset().value();
      rest = rest.subspan(header->size_bytes());
    }
  }
  return ids;
}

// "" when `read` == `acked`; otherwise the sizes and the first difference.
std::string difference(const std::vector<int>& read, const std::vector<int>& acked) {
  if (read == acked) return "";
  std::size_t i = 0;
  while (i < read.size() && i < acked.size() && read[i] == acked[i]) ++i;
  auto at = [i](const std::vector<int>& v) {
    return i < v.size() ? std::to_string(v[i]) : std::string("end");
  };
  return "read " + std::to_string(read.size()) + " records, acked " +
         std::to_string(acked.size()) + "; first difference at index " + std::to_string(i) +
         ": read " + at(read) + ", acked " + at(acked);
}

v1::PartitionDescription describe_partition(const std::shared_ptr<grpc::Channel>& channel,
                                            const std::string& topic) {
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  set_deadline(context);
  v1::DescribeTopicRequest request;
  request.set_name(topic);
  v1::DescribeTopicResponse response;
  REQUIRE(stub->DescribeTopic(&context, request, &response).ok());
  REQUIRE(response.partitions_size() == 1);
  return response.partitions(0);
}

// What `strata --broker ADDRESS topic describe TOPIC` prints on stdout.
std::string cli_describe(const BrokerProcess& broker, const std::string& topic) {
  const std::string command = std::string(STRATA_CLI_PATH) + " --broker " +
                              broker.native_address() + " topic describe " + topic;
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) out.append(buf, n);
  CHECK(::pclose(pipe) == 0);
  return out;
}

// The line of strata_partition_read_only for partition 0 of `topic`.
std::string read_only_metric(const BrokerProcess& broker, const std::string& topic) {
  httplib::Client http("http://" + broker.http_address());
  auto metrics = http.Get("/metrics");
  REQUIRE(metrics);
  REQUIRE(metrics->status == 200);
  std::size_t at = 0;
  while ((at = metrics->body.find("strata_partition_read_only{", at)) != std::string::npos) {
    const std::size_t end = metrics->body.find('\n', at);
    std::string line = metrics->body.substr(at, end - at);
    if (contains(line, "topic=\"" + topic + "\"") && contains(line, "partition=\"0\"")) return line;
    at = end;
  }
  return "";
}

// Produces through the Kafka port, kPipelined requests in flight; records
// which batches were acknowledged at which base offset, and every error code
// seen. The expected log order is that of the acknowledged base offsets.
struct KafkaProducer {
  KafkaProducer(KafkaClient& c, std::string t) : client(c), topic(std::move(t)) {}

  KafkaClient& client;
  std::string topic;
  int next_id = 0;
  std::map<std::int64_t, int> acked_batches;  // base offset -> first record id
  std::vector<std::int16_t> errors;

  void ack(std::int64_t base_offset, int first_id) {
    CHECK(acked_batches.emplace(base_offset, first_id).second);
  }
  // Every acknowledged record id, in offset order.
  std::vector<int> acked() const {
    std::vector<int> ids;
    for (const auto& [offset, first_id] : acked_batches) {
      for (int id : ids_of_batch(first_id)) ids.push_back(id);
    }
    return ids;
  }

  // Sends kPipelined batches and reads their answers; the number acked.
  int round() {
    std::vector<std::pair<std::int32_t, int>> sent;  // correlation id, first record id
    for (int i = 0; i < kPipelined; ++i) {
      const std::int32_t correlation = 1000000 + next_id;
      REQUIRE(client.send(7, produce_one(topic, 0, id_batch(next_id)), correlation));
      sent.emplace_back(correlation, next_id);
      next_id += kRecordsPerBatch;
    }
    int ok = 0;
    for (const auto& [correlation, first_id] : sent) {
      auto answer = client.read_response<ProduceResponse>(7);
      REQUIRE(answer);
      REQUIRE(answer->first == correlation);
      const auto& partition = answer->second.responses.at(0).partition_responses.at(0);
      const std::int16_t code = partition.error_code;
      if (code == 0) {
        ack(partition.base_offset, first_id);
        ++ok;
      } else {
        errors.push_back(code);
      }
    }
    return ok;
  }
};

// strace attached to every thread of `pid`, failing the first fdatasync of
// `path` with EIO (../shared/docs/RELIABILITY.md section 6). Killed (which
// detaches it) and reaped on destruction.
class FdatasyncFailure {
 public:
  FdatasyncFailure(pid_t pid, const std::filesystem::path& path) {
    std::vector<std::string> args = {"strace", "-f", "-qq", "-o", "/dev/null", "-p",
                                     std::to_string(pid), "-P", path.string(),
                                     "-e", "trace=fdatasync", "-e",
                                     "inject=fdatasync:error=EIO:when=1"};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    REQUIRE(::posix_spawnp(&strace_, "strace", nullptr, nullptr, argv.data(), environ) == 0);
    // Attached once every thread of the broker names a tracer.
    const std::filesystem::path tasks = "/proc/" + std::to_string(pid) + "/task";
    REQUIRE(wait_until(
        [&] {
          for (const auto& task : std::filesystem::directory_iterator(tasks)) {
            std::ifstream status(task.path() / "status");
            std::string line;
            while (std::getline(status, line)) {
              if (line.rfind("TracerPid:", 0) == 0 && std::stoi(line.substr(10)) == 0) return false;
            }
          }
          return true;
        },
        std::chrono::seconds(20), std::chrono::milliseconds(20)));
  }
  ~FdatasyncFailure() {
    ::kill(strace_, SIGKILL);
    int status = 0;
    ::waitpid(strace_, &status, 0);
  }
  FdatasyncFailure(const FdatasyncFailure&) = delete;
  FdatasyncFailure& operator=(const FdatasyncFailure&) = delete;

 private:
  pid_t strace_ = -1;
};

}  // namespace

TEST_CASE("a failed fdatasync answers storage errors and leaves the partition read-only with "
          "its reason in DescribeTopic, strata topic describe and /metrics (#13)",
          "[integration][storage]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  KafkaClient client;
  REQUIRE(client.connect(broker.kafka_address()));
  auto created = client.call<CreateTopicsResponse>(4, create_one("eio", 1));
  REQUIRE(created);
  REQUIRE(created->topics.at(0).error_code == 0);
  auto channel = connect(broker.native_address());
  KafkaProducer producer(client, "eio");
  REQUIRE(producer.round() == kPipelined);
  {
    FdatasyncFailure failure(broker.pid(),
                             broker.data_dir() / "eio-0" / "00000000000000000000.log");
    producer.round();
    REQUIRE(!producer.errors.empty());
  }
  for (std::int16_t code : producer.errors) CHECK(code == kStorageError);
  producer.errors.clear();

  // The next fdatasync would succeed; the partition must not trust it.
  producer.round();
  CHECK(producer.errors.size() == static_cast<std::size_t>(kPipelined));
  for (std::int16_t code : producer.errors) CHECK(code == kStorageError);
  auto native = produce(*channel, {produce_request(1, "eio", 0, id_batch(producer.next_id))});
  REQUIRE(native.size() == 1);
  CHECK(native[0].header().error().code() == v1::STORAGE_ERROR);

  v1::PartitionDescription p = describe_partition(channel, "eio");
  CHECK(p.write_state() == v1::PARTITION_WRITE_STATE_READ_ONLY);
  CHECK(p.write_error().code() == v1::STORAGE_ERROR);
  CHECK(contains(p.write_error().message(), "Input/output error"));
  const std::string described = cli_describe(broker, "eio");
  CHECK(contains(described, "read_only"));
  CHECK(contains(described, "Input/output error"));
  const std::string metric = read_only_metric(broker, "eio");
  CHECK(contains(metric, "reason=\"io_error\""));
  CHECK(metric.substr(metric.rfind(' ') + 1) == "1");
  // Reads go on: everything acknowledged before the failure is there.
  CHECK(difference(read_ids(client, "eio"), producer.acked()) == "");
}

TEST_CASE("a full disk answers storage errors and the partition takes writes again once space is "
          "free, losing and repeating no acknowledged record (#13)",
          "[integration][storage]") {
  std::string why;
  auto fs = TmpfsMount::mount(kFsBytes, &why);
  INFO(why);
  REQUIRE(fs != nullptr);  // never skipped: without its ENOSPC this test checks nothing

  BrokerProcess::Options options;
  options.data_dir = *fs / "data";
  options.extra_args = {"--segment-bytes", "1048576"};
  auto broker = std::make_unique<BrokerProcess>(options);
  REQUIRE(broker->start());
  KafkaClient client;
  REQUIRE(client.connect(broker->kafka_address()));
  auto created = client.call<CreateTopicsResponse>(4, create_one("full", 1));
  REQUIRE(created);
  REQUIRE(created->topics.at(0).error_code == 0);
  auto channel = connect(broker->native_address());

  KafkaProducer producer(client, "full");
  REQUIRE(producer.round() == kPipelined);  // writable to begin with
  fs->fill("filler", kLeftAfterFill);

  // --- the disk fills up ---
  for (int i = 0; i < 200 && producer.errors.empty(); ++i) producer.round();
  REQUIRE(!producer.errors.empty());
  for (std::int16_t code : producer.errors) CHECK(code == kStorageError);
  producer.errors.clear();
  // Still full: refused again, through both ports.
  producer.round();
  CHECK(producer.errors.size() == static_cast<std::size_t>(kPipelined));
  for (std::int16_t code : producer.errors) CHECK(code == kStorageError);
  producer.errors.clear();
  auto native = produce(*channel, {produce_request(1, "full", 0, id_batch(producer.next_id))});
  producer.next_id += kRecordsPerBatch;
  REQUIRE(native.size() == 1);
  CHECK(native[0].header().error().code() == v1::STORAGE_ERROR);
  CHECK(contains(native[0].header().error().message(), "No space left on device"));

  v1::PartitionDescription full = describe_partition(channel, "full");
  CHECK(full.write_state() == v1::PARTITION_WRITE_STATE_OUT_OF_SPACE);
  CHECK(full.write_error().code() == v1::STORAGE_ERROR);
  CHECK(contains(full.write_error().message(), "No space left on device"));
  const std::string described = cli_describe(*broker, "full");
  CHECK(contains(described, "out_of_space"));
  CHECK(contains(described, "No space left on device"));
  const std::string metric = read_only_metric(*broker, "full");
  CHECK(contains(metric, "reason=\"out_of_space\""));
  CHECK(metric.substr(metric.rfind(' ') + 1) == "1");

  // --- space comes back: writable again by itself ---
  std::filesystem::remove(*fs / "filler");
  CHECK(wait_until([&] { return producer.round() > 0; }, std::chrono::seconds(15),
                   std::chrono::milliseconds(100)));
  for (std::int16_t code : producer.errors) CHECK(code == kStorageError);
  for (int i = 0; i < 3; ++i) CHECK(producer.round() == kPipelined);
  auto resumed = produce(*channel, {produce_request(2, "full", 0, id_batch(producer.next_id))});
  REQUIRE(resumed.size() == 1);
  CHECK(resumed[0].header().error().code() == v1::NONE);
  producer.ack(resumed[0].base_offset(), producer.next_id);
  producer.next_id += kRecordsPerBatch;

  v1::PartitionDescription healthy = describe_partition(channel, "full");
  CHECK(healthy.write_state() == v1::PARTITION_WRITE_STATE_WRITABLE);
  CHECK(healthy.write_error().code() == v1::NONE);
  CHECK(contains(cli_describe(*broker, "full"), "writable"));
  const std::string cleared = read_only_metric(*broker, "full");
  CHECK(cleared.substr(cleared.rfind(' ') + 1) == "0");

  // Every acknowledged record exactly once, in order; nothing else.
  CHECK(difference(read_ids(client, "full"), producer.acked()) == "");

  // --- and the same after a restart ---
  client.close();
  REQUIRE(broker->stop() == 0);
  broker = std::make_unique<BrokerProcess>(options);
  REQUIRE(broker->start());
  KafkaClient after;
  REQUIRE(after.connect(broker->kafka_address()));
  CHECK(difference(read_ids(after, "full"), producer.acked()) == "");
}

}  // namespace strata::testing
