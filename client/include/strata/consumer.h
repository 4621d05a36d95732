#pragma once

// Consumer: reads records from partitions and keeps its group's committed
// offsets.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <strata/options.h>
#include <strata/record.h>

#include "common/ids.h"
#include "common/result.h"
#include "common/status.h"

namespace strata::client {

// Called once with the outcome of commit_async(). Runs on a gRPC thread: it
// must be quick and must not call back into the consumer.
using CommitCallback = std::function<void(Status)>;

// Tells the application which partitions a group rebalance took away and
// which it gave. Both run on the thread calling poll() (or close() /
// unsubscribe() for the last revocation), before poll() returns records of
// the new assignment; they may call the consumer (commit_sync, seek).
// Revocation is eager, as in Kafka's classic protocol: every partition is
// revoked before each rejoin and the new assignment is handed out whole.
struct RebalanceListener {
  std::function<void(const std::vector<TopicPartition>&)> on_partitions_revoked;
  std::function<void(const std::vector<TopicPartition>&)> on_partitions_assigned;
};

// A Kafka-style consumer. Partitions come from assign() or subscribe();
// poll() returns records from long-poll Fetch streams (one per topic), in
// offset order within each partition. Positions start at the group's
// committed offset, else by auto_offset_reset, which also applies when a
// position falls outside the log (OFFSET_OUT_OF_RANGE).
//
// Not thread-safe, like Kafka's: one thread at a time calls its methods.
// Owned by the application; the destructor calls close().
class Consumer {
 public:
  // Does not contact the broker. Fails only with invalid_argument for
  // impossible options (an empty bootstrap, max_poll_records < 1).
  static Result<std::unique_ptr<Consumer>> create(ConsumerOptions options);

  ~Consumer();
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Reads exactly these partitions (replacing any earlier assignment, or
  // leaving the group of an earlier subscription). Positions of partitions
  // kept are kept. Needs no group (commits then need options.group_id).
  Status assign(std::vector<TopicPartition> partitions);

  // Joins `group_id` (which replaces options.group_id when not empty) as a
  // member subscribed to `topic` (or `topics`): the group's leader splits
  // the partitions among the members with the first assignor all of them
  // offer (options.partition_assignment_strategy), and every join, leave
  // or expiry rebalances them. The membership is driven by poll() (joins
  // and syncs) and a heartbeat thread. After each rebalance, positions
  // start at the group's committed offsets; with auto-commit, positions are
  // committed before partitions are revoked. Errors: not_found (unknown
  // topic), invalid_argument (no group id, no topic).
  Status subscribe(const std::string& topic, const std::string& group_id = "",
                   RebalanceListener listener = {});
  Status subscribe(const std::vector<std::string>& topics, const std::string& group_id,
                   RebalanceListener listener = {});

  // Drops every partition; a group member commits (auto-commit), reports
  // the revocation and leaves its group.
  void unsubscribe();

  // The partitions currently read (for a group member: this generation's).
  std::vector<TopicPartition> assignment() const;

  // Waits up to `timeout` for records and returns at most max_poll_records
  // of them (an empty vector when none came). Their keys and values are views
  // into the fetched data that the records keep alive (see ConsumerRecord). Also commits positions when
  // auto-commit is due. Errors: invalid_argument without any partition;
  // unavailable/timed_out when a broker cannot be reached (naming it; the
  // next poll() reconnects after a backoff); not_found when the topic or a
  // partition disappeared; the broker's non-retriable errors.
  Result<std::vector<ConsumerRecord>> poll(std::chrono::milliseconds timeout);

  // Sets the offset of the next record poll() returns for `partition`.
  // Requires: the partition is assigned (invalid_argument otherwise).
  Status seek(const TopicPartition& partition, Offset offset);
  // Moves to the log start (or the high watermark) of each given partition
  // (every assigned one when empty).
  Status seek_to_beginning(const std::vector<TopicPartition>& partitions = {});
  Status seek_to_end(const std::vector<TopicPartition>& partitions = {});

  // The offset of the next record poll() would return for `partition`;
  // resolves it (committed offset, else reset policy) when not known yet.
  Result<Offset> position(const TopicPartition& partition);

  // The group's committed offset for `partition`; nullopt when none.
  // Errors: invalid_argument without a group id, unavailable, timed_out.
  Result<std::optional<Offset>> committed(const TopicPartition& partition);

  // Commits the current positions of every assigned partition (those with a
  // known position), or the given offsets, and waits for the answer.
  Status commit_sync();
  Status commit_sync(const std::map<TopicPartition, Offset>& offsets);
  // Same, without waiting; `callback` (optional) gets the outcome.
  void commit_async(CommitCallback callback = {});
  void commit_async(const std::map<TopicPartition, Offset>& offsets,
                    CommitCallback callback = {});

  // The high watermark of `partition` as last reported by its fetch
  // stream; nullopt before the first answer.
  std::optional<Offset> high_watermark(const TopicPartition& partition) const;

  // Commits positions if auto-commit is on, leaves the group (after
  // on_partitions_revoked), closes the fetch streams and waits for
  // outstanding async commits. Idempotent.
  void close();

  class Impl;  // client/src/consumer_impl.h

 private:
  explicit Consumer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::client
