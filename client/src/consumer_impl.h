#pragma once

// The machinery behind strata::client::Consumer.

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <strata/consumer.h>

#include "client/src/connection.h"
#include "client/src/fetch_stream.h"
#include "client/src/group_member.h"
#include "client/src/metadata_cache.h"
#include "client/src/offsets_client.h"
#include "common/record_batch.h"

namespace strata::client {

// Consumer internals. Two positions per partition: `positions_`, the next
// record poll() hands out (what commits store), and `fetch_positions_`,
// the next record to decode (ahead of it by what is buffered). Fetch streams
// are opened from fetch_positions_, one per topic and leader, and restarted
// after a seek, an assignment change or an error. One thread at a time, as
// Consumer says.
class Consumer::Impl {
 public:
  explicit Impl(ConsumerOptions options);
  ~Impl();

  Status assign(std::vector<TopicPartition> partitions);
  Status subscribe(const std::vector<std::string>& topics, const std::string& group_id,
                   RebalanceListener listener);
  void unsubscribe();
  std::vector<TopicPartition> assignment() const { return assignment_; }
  Result<std::vector<ConsumerRecord>> poll(std::chrono::milliseconds timeout);
  Status seek(const TopicPartition& partition, Offset offset);
  Status seek_to(const std::vector<TopicPartition>& partitions, OffsetSpec spec);
  Result<Offset> position(const TopicPartition& partition);
  Result<std::optional<Offset>> committed(const TopicPartition& partition);
  Status commit_sync(const std::map<TopicPartition, Offset>* offsets);
  void commit_async(const std::map<TopicPartition, Offset>* offsets, CommitCallback callback);
  std::optional<Offset> high_watermark(const TopicPartition& partition) const;
  void close();

 private:
  // A stream's key: topic and the leader's address.
  using StreamKey = std::pair<std::string, std::string>;

  bool is_assigned(const TopicPartition& partition) const;
  Status require_group() const;
  // Gives every assigned partition a position: committed, else by policy.
  Status ensure_positions();
  Result<Offset> reset_offset(const TopicPartition& partition, OffsetSpec spec);
  void set_position(const TopicPartition& partition, Offset offset);
  Status ensure_streams();
  void close_streams_of(const std::string& topic);
  void close_all_streams();
  // Handles one stream event; errors are returned by poll().
  Status handle(const FetchEvent& event);
  // `data` owns `fetched` (the answer it came in).
  Status handle_partition(const std::string& topic, const v1::FetchedPartition& fetched,
                          const std::shared_ptr<const void>& data, bool& restart_stream);
  // Buffers the records of `batches`; they point into `data` (or, for a
  // compressed batch, into its decompressed copy) and keep it alive.
  Status decode(const TopicPartition& partition, const std::string& batches,
                const std::shared_ptr<const void>& data);
  std::vector<ConsumerRecord> take_buffered();
  void maybe_auto_commit();
  // Replaces the partitions read (streams, buffers and positions of the
  // partitions dropped go).
  void set_assignment(std::vector<TopicPartition> partitions);
  // Drives the group membership until it is stable or `deadline`.
  Status drive_group(std::chrono::steady_clock::time_point deadline);
  // Commits (auto-commit), tells the listener and drops every partition.
  void revoke_all();
  // Revokes and leaves the group; the consumer is no longer a member.
  void leave_group();
  GroupIdentity group_identity() const;
  std::map<TopicPartition, Offset> current_positions() const;

  const ConsumerOptions options_;
  ConnectionPool pool_;
  MetadataCache metadata_;
  OffsetsClient offsets_;
  std::string group_id_;
  // Set while subscribed: the membership and the application's listener.
  std::unique_ptr<GroupMember> member_;
  RebalanceListener listener_;
  std::vector<TopicPartition> assignment_;
  std::map<TopicPartition, Offset> positions_;
  std::map<TopicPartition, Offset> fetch_positions_;
  std::map<TopicPartition, Offset> high_watermarks_;
  std::deque<ConsumerRecord> buffered_;
  std::map<TopicPartition, std::size_t> buffered_counts_;
  FetchInbox inbox_;
  std::map<StreamKey, std::unique_ptr<FetchStream>> streams_;
  std::map<std::uint64_t, StreamKey> stream_keys_;  // live stream ids
  std::uint64_t next_stream_id_ = 1;
  std::chrono::steady_clock::time_point next_auto_commit_;
  bool is_closed_ = false;
};

}  // namespace strata::client
