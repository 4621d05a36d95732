#pragma once

// Settings of the libstrata clients (Producer, Consumer, Admin). Every field
// has a default; names and meanings follow the Kafka client settings they
// mirror (linger.ms, batch.size, buffer.memory, ...).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "common/result.h"

namespace strata::client {

// Kafka's compression.type: the codec of the record batches a producer builds.
enum class CompressionType : std::uint8_t { none = 0, gzip = 1, snappy = 2, lz4 = 3, zstd = 4 };

// Kafka's acks: when a produced batch counts as written.
//   none   (acks=0)   no answer; the record's offset is reported as -1.
//   leader (acks=1)   answered once the leader appended it.
//   all    (acks=-1)  answered once every in-sync replica has it (on one node: durable).
enum class Acks : std::uint8_t { none = 0, leader = 1, all = 2 };

// Where a consumer starts when it has no committed offset, or its offset is
// out of the log's range: Kafka's auto.offset.reset.
enum class OffsetReset : std::uint8_t { earliest = 0, latest = 1 };

// "none", "gzip", "snappy", "lz4", "zstd"; parse_* accept these names
// (case-sensitive) and give invalid_argument for anything else.
std::string_view to_string(CompressionType type);
Result<CompressionType> parse_compression(std::string_view name);
// "0", "1", "all" (also "-1").
std::string_view to_string(Acks acks);
Result<Acks> parse_acks(std::string_view name);
// "earliest", "latest".
std::string_view to_string(OffsetReset reset);
Result<OffsetReset> parse_offset_reset(std::string_view name);

// How to reach the cluster; shared by the three clients.
struct ConnectionOptions {
  // "host:port" of any broker's native (gRPC) listener.
  std::string bootstrap = "127.0.0.1:7070";
  // Deadline of every unary RPC, and how long a produce request may wait for
  // its answer before it counts as timed out.
  std::int32_t request_timeout_ms = 30000;
  // Backoff between attempts to reach a broker that was unreachable: starts
  // at reconnect_backoff_ms and doubles up to reconnect_backoff_max_ms.
  std::int32_t reconnect_backoff_ms = 50;
  std::int32_t reconnect_backoff_max_ms = 1000;
  // The largest gRPC message accepted from a broker (fetch answers).
  std::int32_t max_receive_message_bytes = 64 * 1024 * 1024;
};

// The most batches of one partition an idempotent producer may have in
// flight: what the broker remembers per producer and partition (Kafka
// remembers 5; Strata 32, libstrata's default in flight).
inline constexpr std::int32_t kMaxInFlightIdempotent = 32;

// Settings of a Producer.
struct ProducerOptions {
  ConnectionOptions connection;
  // How long a partition's batch waits for more records before it is sent.
  std::int32_t linger_ms = 5;
  // A partition's batch is sent once it holds this many bytes (uncompressed
  // estimate). A single larger record travels alone in its own batch.
  std::size_t batch_size = 16 * 1024;
  // The bytes of records accepted but not yet acknowledged. send() blocks
  // while it is full, for at most max_block_ms, then fails with timed_out.
  std::size_t buffer_memory = 32 * 1024 * 1024;
  // The longest send() blocks, for buffer space or for the topic's metadata.
  std::int32_t max_block_ms = 60000;
  // The largest single record (key, value and headers encoded); larger ones
  // fail at once with too_large. Matches the broker's 1 MiB default.
  std::size_t max_request_size = 1024 * 1024;
  CompressionType compression = CompressionType::none;
  Acks acks = Acks::all;
  // Resends of a batch that failed with a retriable error (NOT_LEADER,
  // UNAVAILABLE, TIMED_OUT, a lost connection, ...), retry_backoff_ms apart,
  // while within delivery_timeout_ms of the send.
  std::int32_t retries = 2147483647;
  std::int32_t retry_backoff_ms = 100;
  // The longest from send() to the record's outcome, retries included.
  std::int32_t delivery_timeout_ms = 120000;
  // Kafka's enable.idempotence: batches carry a producer id (from the
  // broker's InitProducerId) and per-partition sequence numbers. The broker
  // appends a partition's batches in sequence order and answers a resent
  // batch with its original offsets, so retries neither reorder nor
  // duplicate records, with any number of batches in flight up to
  // kMaxInFlightIdempotent. Applies to acks leader and all (acks none gets no
  // answers to act on).
  bool enable_idempotence = true;
  // Batches of one partition on the wire at once. With idempotence order
  // holds across retries, and create() refuses more than
  // kMaxInFlightIdempotent (the batches the broker remembers per producer
  // to recognise a resent one). Without it, above 1, a batch resent after an
  // error may land after a later batch of the same partition (as in Kafka).
  // The default is higher than Kafka's 5 because the broker answers acks=all
  // after the fdatasync that covers the batch: at 5, one slow sync (~25 ms on
  // a busy disk) leaves every later batch queued here and the backlog drains
  // only 5 per sync, turning the hiccup into a 40-160 ms stall; at 32 the
  // batches wait at the broker, where one sync covers them all
  // (docs/benchmarks.md). buffer_memory still bounds what is outstanding.
  std::int32_t max_in_flight_per_partition = 32;
};

// Settings of a Consumer.
struct ConsumerOptions {
  ConnectionOptions connection;
  // The consumer group whose committed offsets are used and stored. Empty:
  // no group (assign() only, no commits).
  std::string group_id;
  OffsetReset auto_offset_reset = OffsetReset::latest;
  // Commit the positions of every assigned partition every
  // auto_commit_interval_ms, from poll(), and once more on close().
  bool enable_auto_commit = true;
  std::int32_t auto_commit_interval_ms = 5000;
  // The most records one poll() returns; the rest wait for the next poll().
  std::int32_t max_poll_records = 500;
  // Fetch stream limits (see FetchService): bytes per answer, bytes per
  // partition per answer, and the long-poll wait.
  std::int32_t fetch_max_bytes = 50 * 1024 * 1024;
  std::int32_t max_partition_fetch_bytes = 1024 * 1024;
  std::int32_t fetch_max_wait_ms = 500;
  std::int32_t fetch_min_bytes = 1;
  // Group membership (subscribe()), with Kafka's meanings and defaults: the
  // name shown by `strata group describe`; how long the member may go
  // without a heartbeat before the coordinator drops it (within the
  // broker's 6000..1800000 ms by default); how often the background thread
  // heartbeats; how long a rebalance waits for the member to rejoin; the
  // assignors offered, most preferred first ("range", "roundrobin").
  std::string client_id = "strata-consumer";
  std::int32_t session_timeout_ms = 45000;
  std::int32_t heartbeat_interval_ms = 3000;
  std::int32_t max_poll_interval_ms = 300000;
  std::vector<std::string> partition_assignment_strategy{"range", "roundrobin"};
};

// Settings of an Admin client.
struct AdminOptions {
  ConnectionOptions connection;
};

}  // namespace strata::client
