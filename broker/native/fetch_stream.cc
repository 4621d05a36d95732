// The Fetch long-poll stream: one reactor per call.
#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include <asio/post.hpp>

#include "broker/deadline_timer.h"
#include "broker/native/error_mapping.h"
#include "broker/native/fetch_service.h"
#include "broker/topic_manager.h"
#include "common/record_batch.h"

namespace strata::broker::native {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::int32_t kDefaultMaxBytes = 1 << 20;
constexpr std::int32_t kFetchMaxBytes = 52428800;
constexpr std::int32_t kDefaultPartitionMaxBytes = 1 << 20;
constexpr std::int32_t kDefaultMaxWaitMs = 500;

// The offset after the last whole batch in `bytes`.
Offset next_offset_after(ByteSpan bytes, Offset fallback) {
  Offset next = fallback;
  std::size_t pos = 0;
  for (int i = 0; i < 1'000'000 && pos < bytes.size(); ++i) {
    auto header = parse_batch_header(bytes.subspan(pos));
    if (!header.ok() || header->size_bytes() > bytes.size() - pos) break;
    next = header->next_offset();
    pos += header->size_bytes();
  }
  return next;
}

// One Fetch call. Exactly one poll runs at a time (state_ says which phase
// the stream is in); waits are partition change notifications and a timer
// for max_wait. Owned by itself (self_) until OnDone; waiters and the timer
// hold weak pointers, pool work holds a strong one while it runs. OnDone
// drops the waiters still queued on partitions.
class FetchStream final : public grpc::ServerWriteReactor<v1::FetchResponse>,
                          public std::enable_shared_from_this<FetchStream> {
 public:
  FetchStream(ServiceContext& ctx, const v1::FetchRequest& request)
      : ctx_(ctx), request_(request), timer_(ctx.pool) {
    max_bytes_ = request.max_bytes() <= 0 ? kDefaultMaxBytes
                                          : std::min(request.max_bytes(), kFetchMaxBytes);
    partition_max_bytes_ =
        request.partition_max_bytes() <= 0 ? kDefaultPartitionMaxBytes : request.partition_max_bytes();
    max_wait_ = std::chrono::milliseconds(request.max_wait_ms() <= 0 ? kDefaultMaxWaitMs
                                                                     : request.max_wait_ms());
    min_bytes_ = std::max<std::int32_t>(1, request.min_bytes());
    last_sent_ = Clock::now();
  }

  void start(std::shared_ptr<FetchStream> self) {
    self_ = std::move(self);
    asio::post(ctx_.pool, [self = shared_from_this()] { self->open(); });
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(mu_);
      if (!ok) cancelled_ = true;
      if (cancelled_ || end_after_write_) {
        finish_locked(cancelled_ ? grpc::Status::CANCELLED : grpc::Status::OK);
        return;
      }
      state_ = State::polling;
    }
    asio::post(ctx_.pool, [self = shared_from_this()] { self->poll(); });
  }

  void OnCancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    timer_.cancel();
    if (state_ == State::waiting) finish_locked(grpc::Status::CANCELLED);
  }

  void OnDone() override {
    drop_waits();
    self_.reset();  // may delete this
  }

 private:
  enum class State { polling, writing, waiting, done };

  struct Part {
    std::shared_ptr<Partition> partition;
    std::int32_t number = 0;
    Offset position;
    std::size_t max_bytes = 0;
    std::int64_t sent_hw = -1;
    std::int64_t sent_log_start = -1;
    std::uint64_t registered_seq = 0;
    bool registered = false;
  };

  // Checks the request and builds the partition list; errors for single
  // partitions go into the first message.
  void open() {
    v1::FetchResponse first;
    auto topic = ctx_.topics.find_topic(request_.topic());
    if (!topic.ok() || request_.partitions().empty()) {
      Status st = topic.ok() ? invalid_argument_error("fetch of " + request_.topic() +
                                                      " names no partition")
                             : topic.status();
      *first.mutable_error() = to_proto_error(st, ErrorSubject::topic);
      return send_last(std::move(first));
    }
    std::set<std::int32_t> seen;
    for (const v1::FetchPartition& fp : request_.partitions()) {
      Status st;
      ErrorSubject subject = ErrorSubject::partition;
      if (fp.partition() < 0 || static_cast<std::size_t>(fp.partition()) >= (*topic)->partitions.size()) {
        st = not_found_error(request_.topic() + "-" + std::to_string(fp.partition()) +
                             ": no such partition");
      } else if (!seen.insert(fp.partition()).second) {
        st = invalid_argument_error(request_.topic() + "-" + std::to_string(fp.partition()) +
                                    ": listed twice");
        subject = ErrorSubject::none;
      }
      if (!st.ok()) {
        add_error(first, fp.partition(), st, subject);
        continue;
      }
      Part part;
      part.partition = (*topic)->partitions[static_cast<std::size_t>(fp.partition())];
      part.number = fp.partition();
      part.position = Offset(fp.offset());
      part.max_bytes = static_cast<std::size_t>(fp.max_bytes() > 0 ? fp.max_bytes() : partition_max_bytes_);
      parts_.push_back(std::move(part));
    }
    if (parts_.empty()) return send_last(std::move(first));
    pending_errors_ = std::move(first);
    poll();
  }

  static void add_error(v1::FetchResponse& message, std::int32_t number, const Status& st,
                        ErrorSubject subject) {
    v1::FetchedPartition* out = message.add_partitions();
    out->set_partition(number);
    *out->mutable_header()->mutable_error() = to_proto_error(st, subject);
    out->mutable_header()->set_leader_id(-1);
    out->mutable_header()->set_leader_epoch(-1);
    out->set_high_watermark(-1);
    out->set_log_start_offset(-1);
    out->set_next_offset(-1);
  }

  void send_last(v1::FetchResponse message) {
    std::lock_guard lock(mu_);
    if (cancelled_) return finish_locked(grpc::Status::CANCELLED);
    end_after_write_ = true;
    write_locked(std::move(message));
  }

  // Requires mu_.
  void write_locked(v1::FetchResponse message) {
    state_ = State::writing;
    out_ = std::move(message);
    StartWrite(&out_);
  }

  // Requires mu_.
  void finish_locked(const grpc::Status& status) {
    if (state_ == State::done) return;
    state_ = State::done;
    Finish(status);
  }

  // Reads what is ready; sends it or waits. Runs on the pool, one at a time.
  void poll() {
    if (ctx_.stopping.load(std::memory_order_acquire)) {
      std::lock_guard lock(mu_);
      return finish_locked(grpc::Status(grpc::StatusCode::UNAVAILABLE, "the broker is stopping"));
    }
    const auto start = Clock::now();
    v1::FetchResponse message = std::move(pending_errors_);
    pending_errors_.Clear();
    bool has_errors = message.partitions_size() > 0;
    std::size_t total = 0;
    std::vector<std::uint64_t> seqs(parts_.size());
    std::vector<std::pair<std::size_t, Offset>> advances;  // part index, new position
    std::vector<std::size_t> dropped;
    const std::size_t n = parts_.size();
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = (rotation_ + k) % n;
      Part& part = parts_[i];
      Partition& p = *part.partition;
      seqs[i] = p.change_seq();
      if (p.is_closed()) {
        add_error(message, part.number, not_found_error(p.name() + ": partition was deleted"),
                  ErrorSubject::topic);
        dropped.push_back(i);
        continue;
      }
      // A std::string, so the bytes move into the answer without a copy.
      std::string data;
      const std::size_t left = static_cast<std::size_t>(max_bytes_) - std::min<std::size_t>(total, static_cast<std::size_t>(max_bytes_));
      if (total == 0 || left > 0) {
        auto read = p.read<std::string>(part.position, std::min(part.max_bytes, total == 0 ? part.max_bytes : left));
        if (!read.ok()) {
          add_read_error(message, part, read.status());
          dropped.push_back(i);
          has_errors = true;
          continue;
        }
        data = std::move(read).value();
        // Only the first batch of a message may exceed the limits.
        if (total > 0 && data.size() > left) data.clear();
      }
      const std::int64_t hw = p.high_watermark().value();
      const std::int64_t log_start = p.log_start_offset().value();
      if (data.empty() && hw == part.sent_hw && log_start == part.sent_log_start) continue;
      v1::FetchedPartition* out = message.add_partitions();
      out->set_partition(part.number);
      out->mutable_header()->set_leader_id(ctx_.identity.node_id);
      out->mutable_header()->set_leader_epoch(p.leader_epoch().value());
      out->set_high_watermark(hw);
      out->set_log_start_offset(log_start);
      Offset next = part.position;
      if (!data.empty()) {
        next = next_offset_after(as_bytes(data), part.position);
        total += data.size();
        out->mutable_records()->set_batches(std::move(data));
      }
      out->set_next_offset(next.value());
      advances.emplace_back(i, next);
    }
    const bool deadline_passed = Clock::now() >= last_sent_ + max_wait_;
    const bool send = has_errors || !dropped.empty() || (total > 0 && total >= static_cast<std::size_t>(min_bytes_)) ||
                      deadline_passed;
    if (send) {
      for (const auto& [i, next] : advances) {
        parts_[i].position = next;
        parts_[i].sent_hw = parts_[i].partition->high_watermark().value();
        parts_[i].sent_log_start = parts_[i].partition->log_start_offset().value();
      }
      // Sent values must be the ones in the message: take them from it.
      for (const v1::FetchedPartition& fp : message.partitions()) {
        for (Part& part : parts_) {
          if (part.number == fp.partition() && fp.header().error().code() == v1::NONE) {
            part.sent_hw = fp.high_watermark();
            part.sent_log_start = fp.log_start_offset();
          }
        }
      }
      std::sort(dropped.rbegin(), dropped.rend());
      for (std::size_t i : dropped) parts_.erase(parts_.begin() + static_cast<std::ptrdiff_t>(i));
      rotation_ = parts_.empty() ? 0 : (rotation_ + 1) % parts_.size();
      last_sent_ = Clock::now();
      ctx_.probe.add_bytes_out(total);
      ctx_.probe.observe_request("Fetch",
                                 std::chrono::duration<double>(Clock::now() - start).count());
      std::lock_guard lock(mu_);
      if (cancelled_) return finish_locked(grpc::Status::CANCELLED);
      if (parts_.empty()) end_after_write_ = true;
      write_locked(std::move(message));
      return;
    }
    {
      std::lock_guard lock(mu_);
      if (finish_or_repoll_locked()) return;
    }
    wait(seqs);
  }

  // Requires mu_. True when the stream must not park: it was cancelled
  // (finished here), or a wake came in while it polled (polled again).
  bool finish_or_repoll_locked() {
    if (cancelled_) {
      finish_locked(grpc::Status::CANCELLED);
      return true;
    }
    if (!wake_pending_) return false;
    wake_pending_ = false;
    asio::post(ctx_.pool, [self = shared_from_this()] { self->poll(); });
    return true;
  }

  void add_read_error(v1::FetchResponse& message, const Part& part, const Status& st) {
    add_error(message, part.number, st, ErrorSubject::partition);
    v1::FetchedPartition* out = message.mutable_partitions(message.partitions_size() - 1);
    if (st.code() == ErrorCode::out_of_range) {
      v1::OffsetOutOfRange* range = out->mutable_out_of_range();
      range->set_requested_offset(part.position.value());
      range->set_log_start_offset(part.partition->log_start_offset().value());
      range->set_log_end_offset(part.partition->log_end_offset().value());
    }
  }

  // Registers for partition changes (once per change) and arms the max_wait
  // timer, then parks the stream (state waiting) unless a wake came in the
  // meantime. Called without mu_, in state polling: a waiter that fires
  // while this still registers only sets wake_pending_, so no second poll
  // touches parts_ before this one is done with it.
  void wait(const std::vector<std::uint64_t>& seqs) {
    std::weak_ptr<FetchStream> weak = weak_from_this();
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      Part& part = parts_[i];
      if (part.registered && part.registered_seq == seqs[i]) continue;
      part.registered = true;
      part.registered_seq = seqs[i];
      register_wait(part.partition, seqs[i], weak);
    }
    timer_.arm(last_sent_ + max_wait_, [weak] {
      if (auto self = weak.lock()) self->wake();
    });
    std::lock_guard lock(mu_);
    if (finish_or_repoll_locked()) return;
    state_ = State::waiting;
  }

  // Queues a wake on `partition`'s next change and remembers it for
  // drop_waits (a partition has at most one queued: a newer registration
  // means the older one ran). Nothing once the call is over.
  void register_wait(const std::shared_ptr<Partition>& partition, std::uint64_t seq,
                     const std::weak_ptr<FetchStream>& weak) {
    std::lock_guard lock(waits_mu_);
    if (waits_closed_) return;
    const std::uint64_t id = partition->wait_for_change(seq, [weak] {
      if (auto self = weak.lock()) self->wake();
    });
    if (id == 0) {
      waits_.erase(partition.get());
    } else {
      waits_[partition.get()] = {partition, id};
    }
  }

  // Removes the waiters still queued, so a cancelled stream leaves nothing
  // behind on a partition that does not change. From OnDone.
  void drop_waits() {
    std::map<const Partition*, std::pair<std::shared_ptr<Partition>, std::uint64_t>> waits;
    {
      std::lock_guard lock(waits_mu_);
      waits_closed_ = true;
      waits.swap(waits_);
    }
    for (auto& [key, wait] : waits) wait.first->cancel_wait(wait.second);
  }

  void wake() {
    std::lock_guard lock(mu_);
    if (state_ == State::waiting) {
      state_ = State::polling;
      asio::post(ctx_.pool, [self = shared_from_this()] { self->poll(); });
    } else if (state_ == State::polling) {
      wake_pending_ = true;
    }
  }

  ServiceContext& ctx_;
  const v1::FetchRequest request_;
  std::int32_t max_bytes_ = 0;
  std::int32_t partition_max_bytes_ = 0;
  std::chrono::milliseconds max_wait_{0};
  std::int32_t min_bytes_ = 1;

  // Touched only by the one running poll (open, poll, wait).
  std::vector<Part> parts_;
  v1::FetchResponse pending_errors_;
  Clock::time_point last_sent_;
  std::size_t rotation_ = 0;

  std::shared_ptr<FetchStream> self_;  // set in start(), reset in OnDone

  DeadlineTimer timer_;

  // Taken before mu_ (a registration may wake at once), never after it.
  std::mutex waits_mu_;
  bool waits_closed_ = false;  // guarded by waits_mu_: set in OnDone
  // The queued waiter id per partition; guarded by waits_mu_.
  std::map<const Partition*, std::pair<std::shared_ptr<Partition>, std::uint64_t>> waits_;

  std::mutex mu_;
  State state_ = State::polling;   // guarded by mu_
  bool wake_pending_ = false;      // guarded by mu_
  bool cancelled_ = false;         // guarded by mu_
  bool end_after_write_ = false;   // guarded by mu_
  v1::FetchResponse out_;          // guarded by mu_: the write in progress
};

}  // namespace

grpc::ServerWriteReactor<v1::FetchResponse>* start_fetch_stream(ServiceContext& ctx,
                                                                const v1::FetchRequest& request) {
  auto stream = std::make_shared<FetchStream>(ctx, request);
  FetchStream* raw = stream.get();
  raw->start(std::move(stream));
  return raw;
}

}  // namespace strata::broker::native
