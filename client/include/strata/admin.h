#pragma once

// Admin: topics, brokers and consumer-group offsets.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <strata/options.h>

#include "common/ids.h"
#include "common/result.h"
#include "common/secret.h"
#include "common/status.h"

namespace strata::client {

// A topic in a listing.
struct TopicListing {
  std::string name;
  std::int32_t partitions = 0;
  std::int32_t replication_factor = 0;
  bool is_internal = false;
};

// One partition of a described topic. Offsets are -1 when the leader could
// not be asked (then `error` says why).
// Whether a partition takes appends on its leader.
enum class PartitionWriteState {
  unknown,       // not reported
  writable,
  out_of_space,  // refuses appends until the disk has room; then resumes by itself
  read_only,     // a failed fsync or I/O error: refuses appends until an operator acts
};

// "unknown", "writable", "out_of_space" or "read_only".
const char* to_string(PartitionWriteState state);

struct PartitionDescription {
  PartitionId partition;
  BrokerId leader{-1};
  LeaderEpoch leader_epoch{-1};
  std::vector<BrokerId> replicas;
  std::vector<BrokerId> isr;
  Offset log_start_offset{-1};
  Offset log_end_offset{-1};
  Offset high_watermark{-1};
  std::int64_t size_bytes = -1;
  Status error;
  // Whether the leader's log takes appends; when it does not, write_error
  // says why (a storage error naming the OS error).
  PartitionWriteState write_state = PartitionWriteState::unknown;
  Status write_error;
};

// One effective topic config.
struct TopicConfigEntry {
  std::string name;
  std::string value;
  bool is_default = false;
};

// A topic's partitions and configs.
struct TopicDescription {
  std::string name;
  bool is_internal = false;
  std::vector<PartitionDescription> partitions;  // by partition number
  std::vector<TopicConfigEntry> configs;         // by name
};

// A network listener of a broker.
struct ListenerInfo {
  std::string protocol;  // "native", "kafka", "replication", "http"
  std::string host;
  std::int32_t port = 0;
  bool is_tls = false;
};

// The broker that answered BrokerInfo.
struct BrokerDescription {
  BrokerId node_id{-1};
  std::string cluster_id;
  std::string version;
  std::vector<ListenerInfo> listeners;
  std::int64_t uptime_ms = 0;
  std::vector<std::string> data_dirs;
  BrokerId controller_id{-1};
};

// Which offset of a partition to look up (FetchService.ListOffsets).
enum class OffsetSpec : std::uint8_t { earliest, latest, timestamp };

// One answer of list_offsets.
struct ListedOffset {
  PartitionId partition;
  Offset offset{-1};           // -1 on error
  std::int64_t timestamp_ms = -1;  // the found record's time (spec timestamp)
  Status error;
};

// A group's position in one partition.
struct GroupPartitionOffset {
  TopicPartition topic_partition;
  Offset committed{-1};       // -1 when nothing is committed
  Offset log_end_offset{-1};  // the high watermark; -1 when unknown
  std::int64_t lag = -1;      // log_end_offset - committed; -1 when either is unknown
  std::string metadata;
};

// A member of a described group.
struct GroupMemberInfo {
  std::string member_id;
  std::string client_id;
  std::string client_host;
  // This generation's partitions (decoded from the consumer protocol's
  // assignment; empty before SyncGroup or for another protocol type).
  std::vector<TopicPartition> assignment;
};

// A group as DescribeGroup sees it. `state` is Kafka's name: "Empty",
// "PreparingRebalance", "CompletingRebalance", "Stable" or "Dead".
struct GroupDescription {
  std::string group_id;
  std::string state;
  std::string protocol_type;
  std::string protocol_name;
  std::int32_t generation_id = -1;
  std::string leader_id;
  std::vector<GroupMemberInfo> members;
};

// Where reset_offsets moves a group's offsets: exactly one of the fields.
struct ResetTarget {
  static ResetTarget to_earliest() { return ResetTarget{OffsetSpec::earliest, -1, -1}; }
  static ResetTarget to_latest() { return ResetTarget{OffsetSpec::latest, -1, -1}; }
  static ResetTarget to_offset(std::int64_t offset) {
    return ResetTarget{std::nullopt, offset, -1};
  }
  static ResetTarget to_timestamp(std::int64_t timestamp_ms) {
    return ResetTarget{std::nullopt, -1, timestamp_ms};
  }

  std::optional<OffsetSpec> spec;  // earliest or latest
  std::int64_t offset = -1;        // when >= 0 and no spec
  std::int64_t timestamp_ms = -1;  // when >= 0 and no spec or offset
};

// The outcome of reset_offsets for one partition.
struct ResetOffsetResult {
  PartitionId partition;
  Offset previous_offset{-1};  // -1 when nothing was committed
  Offset new_offset{-1};       // -1 on error
  Status error;
};

// Administration of a Strata cluster over the native API: topics, brokers,
// group offsets. Every call is one or two unary RPCs with a deadline of
// request_timeout_ms. Thread-safe; owned by the application.
//
// Errors common to every call: unavailable (`broker HOST:PORT unreachable:
// ...`), timed_out. Broker errors map to: not_found (UNKNOWN_TOPIC,
// UNKNOWN_PARTITION, UNKNOWN_GROUP), already_exists (TOPIC_ALREADY_EXISTS),
// invalid_argument (INVALID_TOPIC_NAME, INVALID_PARTITIONS, INVALID_CONFIG,
// INVALID_REQUEST, GROUP_NOT_EMPTY, ...), out_of_range (OFFSET_OUT_OF_RANGE),
// with the broker's message.
// A SASL user and the mechanisms it has credentials for ("SCRAM-SHA-256").
struct UserListing {
  std::string name;
  std::vector<std::string> mechanisms;
};

class Admin {
 public:
  // Does not contact the broker. invalid_argument for an empty bootstrap.
  static Result<std::unique_ptr<Admin>> create(AdminOptions options);

  ~Admin();
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  // partitions and replication_factor 0 mean the broker's defaults.
  Status create_topic(const std::string& name, std::int32_t partitions,
                      const std::map<std::string, std::string>& configs = {},
                      std::int32_t replication_factor = 0);
  Status delete_topic(const std::string& name);
  Result<std::vector<TopicListing>> list_topics(bool include_internal = false);
  Result<TopicDescription> describe_topic(const std::string& name);
  // Raises the topic's partition count to `total_partitions`.
  Status add_partitions(const std::string& name, std::int32_t total_partitions);
  // Sets `set` and returns `remove` to their defaults, all or nothing.
  Status alter_topic_configs(const std::string& name,
                             const std::map<std::string, std::string>& set,
                             const std::vector<std::string>& remove = {});
  Result<BrokerDescription> broker_info();

  // Looks up an offset in each of `partitions` of `topic` (every partition
  // when empty). `timestamp_ms` is used with OffsetSpec::timestamp only.
  Result<std::vector<ListedOffset>> list_offsets(const std::string& topic,
                                                 std::vector<std::int32_t> partitions,
                                                 OffsetSpec spec,
                                                 std::int64_t timestamp_ms = -1);

  // The group's committed offsets with log end offsets and lag. With a
  // topic: every partition of it (committed -1 where none); without: every
  // partition the group has an offset for.
  Result<std::vector<GroupPartitionOffset>> group_offsets(const std::string& group_id,
                                                          const std::string& topic = "");

  // Moves an empty group's committed offsets of `topic` (the given
  // partitions, or all when empty). invalid_argument (GROUP_NOT_EMPTY) when
  // the group has members.
  Result<std::vector<ResetOffsetResult>> reset_offsets(const std::string& group_id,
                                                       const std::string& topic,
                                                       const ResetTarget& target,
                                                       std::vector<std::int32_t> partitions = {},
                                                       bool dry_run = false);

  // The groups the answering broker coordinates, and deleting an empty one.
  Result<std::vector<std::string>> list_groups();
  Status delete_group(const std::string& group_id);
  // One group's state, protocol and members. Errors: not_found (unknown
  // group), invalid_argument (bad id).
  Result<GroupDescription> describe_group(const std::string& group_id);

  // SASL users of the Kafka listener (stored as SCRAM-SHA-256 and -512
  // records). create_user creates or replaces; iterations 0 = 4096.
  // Errors: invalid_argument (a name with ',', '=' or control characters,
  // an empty password, iterations outside 4096-16384), not_found (delete of
  // an unknown user).
  Status create_user(const std::string& name, const Secret& password, std::int32_t iterations = 0);
  Status delete_user(const std::string& name);
  Result<std::vector<UserListing>> list_users();

  class Impl;  // client/src/admin_impl.h

 private:
  explicit Admin(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::client
