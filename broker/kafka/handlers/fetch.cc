// Fetch (key 1), v4-11, sessionless: batches below the high watermark from
// each partition, held back (long poll) until min_bytes are ready or
// max_wait passes. last_stable_offset = high watermark (no transactions).
// v9+: a partition whose current_leader_epoch (when >= 0) is older than the
// replica's is answered FENCED_LEADER_EPOCH, newer UNKNOWN_LEADER_EPOCH.
#include <algorithm>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include <asio/post.hpp>

#include "broker/broker_probe.h"
#include "broker/deadline_timer.h"
#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/kafka/handlers/partition_watch.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {
namespace {

using namespace ::strata::kafka;
using Clock = std::chrono::steady_clock;

// Longest wait a client may ask for; beyond it the request is answered anyway.
constexpr std::int32_t kMaxWaitMs = 30000;
// Cap of one response (Kafka's fetch.max.bytes default).
constexpr std::int32_t kFetchMaxBytes = 52428800;

// One Fetch request while it is polled and waits. Owned by shared_ptrs held
// by the running poll and the max_wait timer; partition waits hold weak ones.
class FetchCall : public std::enable_shared_from_this<FetchCall> {
 public:
  FetchCall(HandlerContext& ctx, RequestContext request, FetchRequest body)
      : ctx_(ctx), request_(std::move(request)), body_(std::move(body)), timer_(ctx.pool) {}

  void start() {
    max_bytes_ = static_cast<std::size_t>(std::clamp(body_.max_bytes, 1, kFetchMaxBytes));
    min_bytes_ = static_cast<std::size_t>(std::max(body_.min_bytes, 0));
    deadline_ = Clock::now() + std::chrono::milliseconds(std::clamp(body_.max_wait_ms, 0, kMaxWaitMs));
    for (std::size_t t = 0; t < body_.topics.size(); ++t) {
      const FetchRequest::Topic& topic = body_.topics[t];
      auto found = ctx_.topics.find_topic(topic.topic);
      for (std::size_t i = 0; i < topic.partitions.size(); ++i) {
        const FetchRequest::Topic::Partition& fp = topic.partitions[i];
        Part part;
        part.topic = t;
        part.index = i;
        part.position = Offset(fp.fetch_offset);
        part.max_bytes = static_cast<std::size_t>(std::max(fp.partition_max_bytes, 0));
        if (!found.ok()) {
          part.error = found.status();
        } else if (auto p = (*found)->find_partition(fp.partition); !p.ok()) {
          part.error = p.status();
        } else if (Status epoch_ok = (*p)->check_leader_epoch(LeaderEpoch(fp.current_leader_epoch));
                   !epoch_ok.ok()) {
          part.error = epoch_ok;
          part.error_subject = KafkaSubject::leader_epoch;
        } else {
          part.partition = std::move(p).value();
        }
        parts_.push_back(std::move(part));
      }
    }
    {
      std::lock_guard lock(mu_);
      timer_.arm(deadline_, [self = shared_from_this()] { self->wake(); });
    }
    poll();
  }

 private:
  struct Part {
    std::size_t topic = 0;
    std::size_t index = 0;
    std::shared_ptr<Partition> partition;
    Offset position;
    std::size_t max_bytes = 0;
    Status error;
    KafkaSubject error_subject = KafkaSubject::topic;  // what `error` is about
    std::uint64_t watch_id = 0;
  };

  // Reads every partition; answers, or waits for a change or the deadline.
  // Runs on the pool, one poll at a time.
  void poll() {
    std::vector<std::uint64_t> seqs(parts_.size(), 0);
    std::vector<Buffer> data(parts_.size());
    std::size_t total = 0;
    bool has_error = false;
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      Part& part = parts_[i];
      if (part.error.ok() && part.partition->is_closed()) {
        part.error = not_found_error(part.partition->name() + ": partition was deleted");
      }
      if (!part.error.ok()) {
        has_error = true;
        continue;
      }
      seqs[i] = part.partition->change_seq();
      const std::size_t left = max_bytes_ - std::min(total, max_bytes_);
      if (total > 0 && left == 0) continue;
      // KIP-74: the first batch of the response goes out whole even above the limits.
      const std::size_t limit = total == 0 ? std::max<std::size_t>(part.max_bytes, 1)
                                           : std::min(part.max_bytes, left);
      auto read = part.partition->read(part.position, limit);
      if (!read.ok()) {
        part.error = read.status();
        has_error = true;
        continue;
      }
      if (total > 0 && read->size() > left) continue;
      total += read->size();
      data[i] = std::move(read).value();
    }
    const bool stopping = ctx_.stopping.load(std::memory_order_acquire);
    if (has_error || total >= std::max<std::size_t>(min_bytes_, 1) || Clock::now() >= deadline_ ||
        stopping || (min_bytes_ == 0)) {
      return answer(data, total);
    }
    // Register the watches while still polling: a watch that fires at once
    // (the partition moved since the read) or the deadline timer then only
    // sets wake_pending_. Parking first let that wake post a second poll()
    // that ran beside this one on parts_.
    std::weak_ptr<FetchCall> weak = weak_from_this();
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      if (!parts_[i].error.ok()) continue;
      if (parts_[i].watch_id != 0) ctx_.watch.cancel(parts_[i].watch_id);
      parts_[i].watch_id = ctx_.watch.watch(parts_[i].partition, seqs[i], [weak] {
        if (auto self = weak.lock()) self->wake();
      });
    }
    std::lock_guard lock(mu_);
    if (wake_pending_) {
      wake_pending_ = false;
      asio::post(ctx_.pool, [self = shared_from_this()] { self->poll(); });
      return;
    }
    polling_ = false;
  }

  void wake() {
    std::lock_guard lock(mu_);
    if (done_) return;
    if (polling_) {
      wake_pending_ = true;
      return;
    }
    polling_ = true;
    asio::post(ctx_.pool, [self = shared_from_this()] { self->poll(); });
  }

  void answer(const std::vector<Buffer>& data, std::size_t total) {
    {
      std::lock_guard lock(mu_);
      if (done_) return;
      done_ = true;
      timer_.cancel();
    }
    for (Part& part : parts_) {
      if (part.watch_id != 0) ctx_.watch.cancel(part.watch_id);
    }
    FetchResponse response;
    for (const FetchRequest::Topic& topic : body_.topics) {
      FetchResponse::Topic& out = response.responses.emplace_back();
      out.topic = topic.topic;
      out.partitions.resize(topic.partitions.size());
    }
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      const Part& part = parts_[i];
      FetchResponse::Topic::Partition& out = response.responses[part.topic].partitions[part.index];
      out.partition_index = body_.topics[part.topic].partitions[part.index].partition;
      if (!part.error.ok()) {
        out.error_code = kafka_error_code(part.error, part.error_subject);
        out.high_watermark = -1;
        out.last_stable_offset = -1;
        out.log_start_offset = -1;
        if (part.error.code() == ErrorCode::out_of_range && part.partition) {
          out.high_watermark = part.partition->high_watermark().value();
          out.last_stable_offset = out.high_watermark;
          out.log_start_offset = part.partition->log_start_offset().value();
        }
        out.aborted_transactions.emplace();
        continue;
      }
      out.high_watermark = part.partition->high_watermark().value();
      out.last_stable_offset = out.high_watermark;
      out.log_start_offset = part.partition->log_start_offset().value();
      out.aborted_transactions.emplace();
      out.records = Records::of(ByteSpan(data[i]));
    }
    ctx_.probe.add_bytes_out(total);
    send_response(request_, response);
  }

  HandlerContext& ctx_;
  RequestContext request_;
  const FetchRequest body_;
  std::size_t max_bytes_ = 0;
  std::size_t min_bytes_ = 0;
  Clock::time_point deadline_;
  std::vector<Part> parts_;  // touched by the one running poll only

  DeadlineTimer timer_;

  std::mutex mu_;
  bool polling_ = true;        // guarded by mu_
  bool wake_pending_ = false;  // guarded by mu_
  bool done_ = false;          // guarded by mu_
};

}  // namespace

void handle_fetch(HandlerContext& ctx, RequestContext request, FetchRequest body) {
  auto call = std::make_shared<FetchCall>(ctx, std::move(request), std::move(body));
  call->start();
}

}  // namespace strata::broker::kafka
