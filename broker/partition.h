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

// One partition on this (standalone) node: its log, its owner strand and the
// fetch waiters that want to hear when it changes. Created by TopicManager,
// shared (shared_ptr) by the topic table and every request in flight on it.
//
// Threads: append(), run_retention() and close() may be called from any
// thread; the work runs on the partition's strand (the one writer of the
// log). Reads and accessors run on the calling thread (a pool thread: they
// may touch the disk, so never on a gRPC thread). Consumers see records
// below high_watermark(): the fsynced end for durable topics, the log end
// for durability=async topics.
//
// Storage errors: appends fail with the log's error while it is not
// writable (storage::WriteState). When a write ran out of space, a timer on
// the strand retries storage::PartitionLog::resume_writes() with backoff
// (kResumeFirstDelay doubling to kResumeMaxDelay) until it succeeds or the
// log turns read_only; no restart needed.
class Partition : public std::enable_shared_from_this<Partition> {
 public:
  using Executor = asio::strand<asio::thread_pool::executor_type>;
  // Gets the append result (or its error) once the batch is acknowledged:
  // durable for fsync topics, appended for async ones. Runs on the strand.
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

  // Appends one batch (validated by the log) on the strand. A batch with a
  // producer id is checked against the idempotent-producer state first: a
  // retry of a retained batch completes with its original offsets (once
  // durable) and appends nothing; errors fenced (stale epoch) and
  // out_of_range (sequence out of order).
  void append(Buffer batch, AppendCallback done);
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

  Offset high_watermark() const;
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
  const bool durable_;
  Executor strand_;
  ProducerStateTable producers_;  // strand_ only
  asio::steady_timer resume_timer_;                  // strand_ only
  bool resume_pending_ = false;                      // strand_ only
  std::chrono::milliseconds resume_delay_ = kResumeFirstDelay;  // strand_ only
  std::atomic<bool> closed_{false};

  mutable std::mutex waiters_mu_;
  std::uint64_t change_seq_ = 0;                           // guarded by waiters_mu_
  std::uint64_t next_waiter_id_ = 1;                       // guarded by waiters_mu_
  std::map<std::uint64_t, std::function<void()>> waiters_;  // guarded by waiters_mu_
};

}  // namespace strata::broker
