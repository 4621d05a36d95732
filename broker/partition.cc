#include "broker/partition.h"

#include <algorithm>
#include <system_error>

#include <asio/post.hpp>

#include "broker/logger.h"
#include "common/record_batch.h"

namespace strata::broker {

Result<std::shared_ptr<Partition>> Partition::open(TopicPartition tp,
                                                   const std::filesystem::path& dir,
                                                   storage::LogOptions options,
                                                   storage::Flusher* flusher,
                                                   asio::thread_pool& pool) {
  STRATA_TRY_ASSIGN(auto log, storage::PartitionLog::open(dir, std::move(options), flusher));
  return std::shared_ptr<Partition>(new Partition(std::move(tp), std::move(log), pool));
}

std::shared_ptr<Partition> Partition::adopt(TopicPartition tp,
                                            std::shared_ptr<storage::PartitionLog> log,
                                            asio::thread_pool& pool) {
  return std::shared_ptr<Partition>(new Partition(std::move(tp), std::move(log), pool));
}

Partition::Partition(TopicPartition tp, std::shared_ptr<storage::PartitionLog> log,
                     asio::thread_pool& pool)
    : tp_(std::move(tp)),
      name_(tp_.to_string()),
      log_(std::move(log)),
      strand_(asio::make_strand(pool.get_executor())),
      resume_timer_(strand_),
      high_watermark_(log_->acked_end().value()) {}

void Partition::append(Buffer batch, Acks acks, AppendCallback done) {
  // One replica: the ISR is this one, so acks=all and acks=1 both wait for
  // the batch to be committed (the high watermark passing it), and acks=0
  // does too, which keeps a connection's later requests behind it. A
  // replicated partition waits for the followers under acks=all only.
  (void)acks;
  asio::post(strand_, [self = shared_from_this(), batch = std::move(batch),
                       done = std::move(done)]() mutable {
    if (!self->is_leader()) {
      done(Status(ErrorCode::not_leader, self->name_ + ": this broker does not lead it"));
      return;
    }
    // The durable callback may run inline (async topics) before append()
    // returns; it only posts, and the posted work runs after this handler,
    // once `appended` is filled in.
    auto header = parse_batch_header(batch);
    const bool idempotent = header.ok() && header->producer_id >= 0;
    if (idempotent && self->check_producer(*header, done)) return;
    // Outside the CRC: the batch stays valid. The log starts the epoch in
    // its checkpoint when this is its first batch.
    if (header.ok()) set_partition_leader_epoch(batch, self->leader_epoch());
    auto appended = std::make_shared<storage::AppendResult>();
    auto result = self->log_->append(std::span<std::byte>(batch), [self, done, appended](Status st) {
      asio::post(self->strand_, [self, done, appended, st] {
        self->advance_high_watermark();
        self->notify_change();
        if (st.ok()) {
          done(*appended);
        } else {
          self->on_append_error(st);
          done(st);
        }
      });
    });
    if (!result.ok()) {
      self->on_append_error(result.status());
      done(result.status());
      return;
    }
    *appended = result.value();
    if (idempotent) self->producers_.record(*header, appended->base_offset, appended->last_offset);
  });
}

bool Partition::check_producer(const RecordBatchHeader& header, AppendCallback& done) {
  if (!producers_.is_loaded()) {
    Status st = producers_.rebuild(*log_);
    if (!st.ok()) {
      done(st.with_context(name_ + ": rebuilding producer state"));
      return true;
    }
  }
  auto checked = producers_.check(header);
  if (!checked.ok()) {
    done(checked.status().with_context(name_));
    return true;
  }
  if (!checked->has_value()) return false;
  // A retry of a written batch: acknowledged with its original offsets once
  // they are durable, as the original was.
  storage::AppendResult original;
  original.base_offset = (*checked)->base_offset;
  original.last_offset = (*checked)->last_offset;
  log_->when_flushed(original.last_offset + 1,
                     [self = shared_from_this(), done = std::move(done), original](Status st) {
                       asio::post(self->strand_, [self, done, original, st] {
                         self->advance_high_watermark();
                         if (st.ok()) {
                           done(original);
                         } else {
                           done(st);
                         }
                       });
                     });
  return true;
}

void Partition::on_append_error(const Status& st) {
  if (st.code() != ErrorCode::no_space || resume_pending_ || is_closed()) return;
  if (log_->write_state() != storage::WriteState::out_of_space) return;
  resume_delay_ = kResumeFirstDelay;
  arm_resume_timer();
}

void Partition::arm_resume_timer() {
  resume_pending_ = true;
  resume_timer_.expires_after(resume_delay_);
  resume_timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
    if (!ec) {
      self->try_resume();
    } else {
      self->resume_pending_ = false;
    }
  });
}

void Partition::try_resume() {
  resume_pending_ = false;
  if (is_closed()) return;
  const Offset end_before = log_->log_end_offset();
  Status st = log_->resume_writes();
  if (st.ok()) {
    // The cut may have dropped batches the producer table remembers.
    if (log_->log_end_offset() != end_before) producers_.invalidate();
    notify_change();
    return;
  }
  if (log_->write_state() != storage::WriteState::out_of_space) {
    logger()->error("{}: stays read-only: {}", name_, st.to_string());
    return;
  }
  logger()->debug("{}: still out of space: {}", name_, st.to_string());
  resume_delay_ = std::min(resume_delay_ * 2, kResumeMaxDelay);
  arm_resume_timer();
}

void Partition::run_retention() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->is_closed()) return;
    Result<std::size_t> deleted = self->log_->apply_retention();
    if (!deleted.ok()) {
      logger()->error("{}: retention failed: {}", self->name_, deleted.status().to_string());
    } else if (*deleted > 0) {
      self->notify_change();
    }
  });
}

void Partition::delete_records(Offset before, std::function<void(Result<Offset>)> done) {
  asio::post(strand_, [self = shared_from_this(), before, done = std::move(done)] {
    if (self->is_closed()) {
      done(Status(ErrorCode::shutting_down, self->name_ + ": partition is closed"));
      return;
    }
    const Offset hw = self->high_watermark();
    const Offset target = before == Offset(-1) ? hw : before;
    // Kafka: only what consumers may already see can be deleted.
    if (target < Offset(0) || target > hw) {
      done(out_of_range_error(self->name_ + ": cannot delete records before " +
                              std::to_string(target.value()) + ": the high watermark is " +
                              std::to_string(hw.value())));
      return;
    }
    const Offset start_before = self->log_->log_start_offset();
    Status st = self->log_->advance_log_start(target);
    if (!st.ok()) {
      done(st);
      return;
    }
    if (self->log_->log_start_offset() != start_before) self->notify_change();
    done(self->log_->log_start_offset());
  });
}

void Partition::close(bool remove_files, std::function<void(Status)> done) {
  asio::post(strand_, [self = shared_from_this(), remove_files, done = std::move(done)] {
    self->closed_.store(true, std::memory_order_release);
    self->resume_timer_.cancel();
    Status st = self->log_->close();
    if (remove_files) {
      std::error_code ec;
      std::filesystem::remove_all(self->log_->dir(), ec);
      if (ec && st.ok()) st = errno_error("remove " + self->log_->dir().string(), ec.value());
    }
    self->notify_change();
    done(st);
  });
}

template <ReadBytes Bytes>
Result<Bytes> Partition::read(Offset from, std::size_t max_bytes) const {
  return log_->read<Bytes>(from, max_bytes, high_watermark());
}

template Result<Buffer> Partition::read<Buffer>(Offset, std::size_t) const;
template Result<std::string> Partition::read<std::string>(Offset, std::size_t) const;

Result<std::optional<storage::TimestampOffset>> Partition::offset_for_timestamp(
    std::int64_t ts) const {
  return log_->offset_for_timestamp(ts);
}

void Partition::advance_high_watermark() {
  // Single replica: committed = acknowledged by this log (fsynced, or
  // written for async topics).
  const std::int64_t acked = log_->acked_end().value();
  if (acked > high_watermark_.load(std::memory_order_relaxed)) {
    high_watermark_.store(acked, std::memory_order_release);
  }
}

LeaderEpoch Partition::leader_epoch() const {
  return log_->latest_leader_epoch().value_or(LeaderEpoch(0));
}

Status Partition::check_leader_epoch(std::optional<LeaderEpoch> current) const {
  if (!is_leader()) return Status(ErrorCode::not_leader, name_ + ": this broker does not lead it");
  if (!current || current->value() < 0) return Status::ok_status();
  const LeaderEpoch mine = leader_epoch();
  if (*current < mine) {
    return Status(ErrorCode::stale_epoch, name_ + ": leader epoch " +
                                              std::to_string(current->value()) +
                                              " is older than the current " +
                                              std::to_string(mine.value()));
  }
  if (*current > mine) {
    return Status(ErrorCode::unavailable, name_ + ": leader epoch " +
                                              std::to_string(current->value()) +
                                              " is newer than this replica's " +
                                              std::to_string(mine.value()));
  }
  return Status::ok_status();
}

std::uint64_t Partition::change_seq() const {
  std::lock_guard lock(waiters_mu_);
  return change_seq_;
}

std::uint64_t Partition::wait_for_change(std::uint64_t seen_seq, std::function<void()> wake) {
  {
    std::lock_guard lock(waiters_mu_);
    if (change_seq_ == seen_seq) {
      const std::uint64_t id = next_waiter_id_++;
      waiters_.emplace(id, std::move(wake));
      return id;
    }
  }
  wake();
  return 0;
}

void Partition::cancel_wait(std::uint64_t id) {
  std::function<void()> dropped;  // destroyed outside the lock
  std::lock_guard lock(waiters_mu_);
  auto it = waiters_.find(id);
  if (it == waiters_.end()) return;
  dropped = std::move(it->second);
  waiters_.erase(it);
}

void Partition::notify_change() {
  std::map<std::uint64_t, std::function<void()>> waiters;
  {
    std::lock_guard lock(waiters_mu_);
    ++change_seq_;
    waiters.swap(waiters_);
  }
  for (auto& [id, wake] : waiters) wake();
}

}  // namespace strata::broker
