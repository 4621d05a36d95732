#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/thread_pool.hpp>

#include "common/bytes.h"
#include "common/ids.h"
#include "broker/producer_state.h"
#include "common/result.h"
#include "storage/log_options.h"
#include "storage/partition_log.h"

namespace strata::storage {
class Flusher;
}

namespace strata::broker {

// What a producer waits for before its batch counts as written (Kafka's
// acks: 0, 1, all = -1).
enum class Acks : std::int8_t {
  none,    // acks=0: the front end sends no answer
  leader,  // acks=1: the leader has it (durable under the topic's durability)
  all,     // acks=all: the high watermark passed it
};

// One partition replica on this node: its log, its owner strand, its role
// (leader or follower), leader epoch and high watermark, and the fetch
// waiters that want to hear when it changes. The one seam between the front
// ends (Kafka, native) and storage: they ask it who leads, which epoch is
// current, what consumers may see and when an append is acknowledged.
// Created by TopicManager, shared (shared_ptr) by the topic table and every
// request in flight on it.
//
// Standalone (today the only mode): this broker leads every partition, the
// leader epoch is the latest in the log's leader-epoch checkpoint (0 for a
// log with none), and the in-sync replicas are this one, so the high
// watermark is the log's acknowledged end: the fsynced end for durable
// topics, the log end for durability=async topics.
//
// Threads: append(), run_retention() and close() may be called from any
// thread; the work runs on the partition's strand (the one writer of the
// log, and of the high watermark). Reads and accessors run on the calling
// thread (a pool thread: they may touch the disk, so never on a gRPC
// thread). Consumers see records below high_watermark().
//
// Storage errors: appends fail with the log's error while it is not
// writable (storage::WriteState). When a write ran out of space, a timer on
// the strand retries storage::PartitionLog::resume_writes() with backoff
// (kResumeFirstDelay doubling to kResumeMaxDelay) until it succeeds or the
// log turns read_only; no restart needed.
class Partition : public std::enable_shared_from_this<Partition> {
 public:
  using Executor = asio::strand<asio::thread_pool::executor_type>;
  // Gets the append result (or its error) once the batch is acknowledged
  // (see append). Runs on the strand.
  using AppendCallback = std::function<void(Result<storage::AppendResult>)>;

  // Opens (recovering) the log in `dir`. Blocking: disk I/O.
  static Result<std::shared_ptr<Partition>> open(TopicPartition tp,
                                                 const std::filesystem::path& dir,
                                                 storage::LogOptions options,
                                                 storage::Flusher* flusher,
                                                 asio::thread_pool& pool);
  // Takes over a log opened elsewhere (storage::LogManager); the log must
  // have no other writer.
  static std::shared_ptr<Partition> adopt(TopicPartition tp,
                                          std::shared_ptr<storage::PartitionLog> log,
                                          asio::thread_pool& pool);
  Partition(const Partition&) = delete;
  Partition& operator=(const Partition&) = delete;

  // Appends one batch (validated by the log) on the strand, stamped with
  // this replica's leader epoch (the batch header's partitionLeaderEpoch),
  // and calls `done` once `acks` is met. Appends take effect in the order of
  // the calls. On this single-replica broker every level completes when the
  // high watermark passes the batch (it is durable for fsync topics, written
  // for async ones): acks=0 too, so that a connection's later requests see
  // it. A batch with a producer id is checked against the idempotent-producer
  // state first: a retry of a retained batch completes with its original
  // offsets (once committed) and appends nothing; errors fenced (stale
  // producer epoch) and out_of_range (sequence out of order). Errors:
  // not_leader when this replica does not lead, and the log's.
  void append(Buffer batch, Acks acks, AppendCallback done);
  // Deletes segments past retention, on the strand.
  void run_retention();
  // Kafka's DeleteRecords, on the strand: moves the log start up to
  // `before` (-1: the high watermark) and calls `done` with the log start
  // offset afterwards. Errors: out_of_range (above the high watermark),
  // the log's error (io_error, shutting_down when closed).
  void delete_records(Offset before, std::function<void(Result<Offset>)> done);
  // Closes the log on the strand (and removes its directory when
  // `remove_files`), wakes every waiter, then calls `done` with the outcome.
  void close(bool remove_files, std::function<void(Status)> done);

  // Batches from `from` below the high watermark (see PartitionLog::read).
  // Bytes: Buffer or std::string (instantiated for both).
  template <ReadBytes Bytes = Buffer>
  Result<Bytes> read(Offset from, std::size_t max_bytes) const;
  Result<std::optional<storage::TimestampOffset>> offset_for_timestamp(std::int64_t ts) const;

  // The end of what every in-sync replica holds acknowledged: consumers see
  // the records below it. Rises only (set on the strand).
  Offset high_watermark() const { return Offset(high_watermark_.load(std::memory_order_acquire)); }
  // Whether this broker leads the partition (always, standalone).
  bool is_leader() const { return true; }
  // The current leader epoch: the latest of the log's leader-epoch
  // checkpoint, 0 for a log with none.
  LeaderEpoch leader_epoch() const;
  // Checks a client's idea of the leader epoch (Kafka's
  // current_leader_epoch; nullopt or a negative epoch: not checked). Errors:
  // stale_epoch when it is older than leader_epoch() (Kafka:
  // FENCED_LEADER_EPOCH), unavailable when newer (UNKNOWN_LEADER_EPOCH),
  // not_leader when this replica does not lead.
  Status check_leader_epoch(std::optional<LeaderEpoch> current) const;
  // Where `epoch` ends in this replica's log (Kafka's OffsetForLeaderEpoch;
  // storage::LeaderEpochCache::end_offset_for).
  storage::EpochEndOffset end_offset_for_epoch(LeaderEpoch epoch) const {
    return log_->end_offset_for_epoch(epoch);
  }
  // The leader epoch `offset` was written under (Kafka's ListOffsets
  // answers it); nullopt when unknown (no stamped batch at or below it).
  std::optional<LeaderEpoch> epoch_for_offset(Offset offset) const {
    return log_->epoch_for_offset(offset);
  }
  // Whether it takes appends, and why not (ok when writable).
  storage::WriteState write_state() const { return log_->write_state(); }
  Status write_error() const { return log_->health(); }
  Offset log_start_offset() const { return log_->log_start_offset(); }
  Offset log_end_offset() const { return log_->log_end_offset(); }
  std::uint64_t size_bytes() const { return log_->size_bytes(); }
  std::size_t max_message_bytes() const { return log_->options().max_batch_bytes; }
  bool is_closed() const { return closed_.load(std::memory_order_acquire); }
  const TopicPartition& topic_partition() const { return tp_; }
  const std::string& name() const { return name_; }

  // A counter that moves whenever the high watermark, the log start or the
  // open state changes. Read it before looking at the partition, then pass
  // it to wait_for_change.
  std::uint64_t change_seq() const;
  // Runs `wake` once (on some thread; keep it short) after the partition
  // changed since `seen_seq`; at once when it already has. Returns an id for
  // cancel_wait, or 0 when `wake` already ran.
  std::uint64_t wait_for_change(std::uint64_t seen_seq, std::function<void()> wake);
  // Drops the waiter `id` unless it ran already (then a no-op), so a waiter
  // that went away (a cancelled fetch) does not stay queued until the next
  // change.
  void cancel_wait(std::uint64_t id);

 private:
  Partition(TopicPartition tp, std::shared_ptr<storage::PartitionLog> log, asio::thread_pool& pool);
  static constexpr std::chrono::milliseconds kResumeFirstDelay{50};
  static constexpr std::chrono::milliseconds kResumeMaxDelay{1000};

  void notify_change();
  // On the strand: moves the high watermark up to what the log acknowledges.
  void advance_high_watermark();
  // On the strand: after an append failed, starts the resume timer when the
  // log is out of space and the timer is not running.
  void on_append_error(const Status& st);
  // On the strand: one resume_writes() attempt; re-arms the timer (doubling
  // its delay) while the log stays out of space.
  void try_resume();
  void arm_resume_timer();
  // On the strand: the producer check of append(); true when it completed `done`.
  bool check_producer(const RecordBatchHeader& header, AppendCallback& done);

  const TopicPartition tp_;
  const std::string name_;
  const std::shared_ptr<storage::PartitionLog> log_;  // written on strand_ only
  Executor strand_;
  ProducerStateTable producers_;  // strand_ only
  asio::steady_timer resume_timer_;                  // strand_ only
  bool resume_pending_ = false;                      // strand_ only
  std::chrono::milliseconds resume_delay_ = kResumeFirstDelay;  // strand_ only
  std::atomic<bool> closed_{false};
  std::atomic<std::int64_t> high_watermark_{0};  // written on strand_ only

  mutable std::mutex waiters_mu_;
  std::uint64_t change_seq_ = 0;                           // guarded by waiters_mu_
  std::uint64_t next_waiter_id_ = 1;                       // guarded by waiters_mu_
  std::map<std::uint64_t, std::function<void()>> waiters_;  // guarded by waiters_mu_
};

}  // namespace strata::broker
