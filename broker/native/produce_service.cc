#include "broker/native/produce_service.h"

#include <cstring>
#include <deque>
#include <mutex>

#include "broker/logger.h"
#include "broker/native/error_mapping.h"
#include "broker/topic_manager.h"
#include "common/record_batch.h"

namespace strata::broker::native {
namespace {

// Requests read ahead on one stream before the reactor stops reading and
// waits for answers (gRPC flow control then holds the client back).
constexpr std::size_t kMaxInFlight = 256;

// One Produce call: reads requests, hands each batch to its partition's
// owner strand and writes the answers as they complete. Per partition,
// appends and answers keep request order (one strand per partition, FIFO).
// Deletes itself in OnDone; Finish is called only once nothing is in flight,
// so no completion outlives it.
class ProduceStream final : public grpc::ServerBidiReactor<v1::ProduceRequest, v1::ProduceResponse> {
 public:
  explicit ProduceStream(ServiceContext& ctx) : ctx_(ctx) {
    std::lock_guard lock(mu_);
    StartRead(&request_);
    reading_ = true;
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      std::lock_guard lock(mu_);
      reading_ = false;
      reads_done_ = true;
      maybe_finish();
      return;
    }
    handle(request_);
    std::lock_guard lock(mu_);
    reading_ = false;
    maybe_read();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok) cancelled_ = true;  // the client went away; drop further answers
    if (!cancelled_ && !pending_.empty()) {
      start_write();
    } else {
      maybe_read();
      maybe_finish();
    }
  }

  void OnCancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    pending_.clear();
    maybe_finish();
  }

  void OnDone() override { delete this; }

 private:
  void handle(const v1::ProduceRequest& request) {
    const auto start = std::chrono::steady_clock::now();
    const bool answer = request.acks() != v1::ACKS_NONE;
    const std::uint64_t correlation_id = request.correlation_id();
    ErrorSubject subject = ErrorSubject::topic;
    std::shared_ptr<Partition> partition;
    Status st = lookup(request, &partition, &subject);
    if (st.ok()) {
      subject = ErrorSubject::record;
      st = check_batch(request.records().batches(), *partition);
    }
    if (ctx_.stopping.load(std::memory_order_acquire)) {
      st = Status(ErrorCode::shutting_down, "the broker is stopping");
    }
    std::lock_guard lock(mu_);
    ++in_flight_;
    if (!st.ok()) {
      logger()->debug("produce {}-{}: {}", request.topic(), request.partition(), st.to_string());
      complete_locked(answer, correlation_id, st, subject, -1, -1, start);
      return;
    }
    const std::string& bytes = request.records().batches();
    Buffer batch(bytes.size());
    std::memcpy(batch.data(), bytes.data(), bytes.size());
    ctx_.probe.add_bytes_in(bytes.size());
    partition->append(std::move(batch), [this, answer, correlation_id, partition,
                                         start](Result<storage::AppendResult> result) {
      std::lock_guard inner(mu_);
      if (!result.ok()) {
        logger()->info("produce {}: {}", partition->name(), result.status().to_string());
        complete_locked(answer, correlation_id, result.status(), ErrorSubject::record, -1, -1, start);
      } else {
        complete_locked(answer, correlation_id, Status(), ErrorSubject::none,
                        result->base_offset.value(), partition->log_start_offset().value(), start);
      }
    });
  }

  Status lookup(const v1::ProduceRequest& request, std::shared_ptr<Partition>* out,
                ErrorSubject* subject) {
    auto topic = ctx_.topics.find_topic(request.topic());
    if (!topic.ok()) return topic.status();
    if ((*topic)->is_internal) {
      return invalid_argument_error("topic " + request.topic() + " is internal: clients may not produce to it");
    }
    *subject = ErrorSubject::partition;
    const std::int32_t p = request.partition();
    if (p < 0 || static_cast<std::size_t>(p) >= (*topic)->partitions.size()) {
      return not_found_error(request.topic() + "-" + std::to_string(p) + ": no such partition");
    }
    *out = (*topic)->partitions[static_cast<std::size_t>(p)];
    return Status();
  }

  // The checks the log does not make: size first (as Kafka), then the
  // header bits a plain producer may not set. CRC and framing are checked
  // by the log on the partition's strand.
  static Status check_batch(const std::string& bytes, const Partition& partition) {
    const std::size_t limit = partition.max_message_bytes();
    if (bytes.size() > limit) {
      return too_large_error(partition.name() + ": batch of " + std::to_string(bytes.size()) +
                             " bytes is over max.message.bytes " + std::to_string(limit));
    }
    auto header = parse_batch_header(as_bytes(bytes));
    if (!header.ok()) return header.status().with_context(partition.name());
    if (header->is_control() || header->is_transactional()) {
      return invalid_argument_error(partition.name() +
                                    ": control and transactional batches are not accepted");
    }
    return Status();
  }

  // Requires mu_. Queues the answer (unless acks=none) and accounts for it.
  void complete_locked(bool answer, std::uint64_t correlation_id, const Status& st,
                       ErrorSubject subject, std::int64_t base_offset, std::int64_t log_start,
                       std::chrono::steady_clock::time_point start) {
    ctx_.probe.observe_request(
        "Produce", std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    --in_flight_;
    if (answer && !cancelled_) {
      v1::ProduceResponse response;
      response.set_correlation_id(correlation_id);
      *response.mutable_header()->mutable_error() = to_proto_error(st, subject);
      response.mutable_header()->set_leader_id(st.ok() ? ctx_.identity.node_id : -1);
      response.mutable_header()->set_leader_epoch(st.ok() ? 0 : -1);
      response.set_base_offset(base_offset);
      response.set_log_append_time_ms(-1);
      response.set_log_start_offset(log_start);
      pending_.push_back(std::move(response));
      if (!writing_) start_write();
    }
    maybe_read();
    maybe_finish();
  }

  // Requires mu_.
  void start_write() {
    current_ = std::move(pending_.front());
    pending_.pop_front();
    writing_ = true;
    StartWrite(&current_);
  }

  // Requires mu_.
  void maybe_read() {
    if (reading_ || reads_done_ || cancelled_ || in_flight_ + pending_.size() >= kMaxInFlight) return;
    reading_ = true;
    StartRead(&request_);
  }

  // Requires mu_. Ends the call once the client is done sending (or gone),
  // every append has completed and every answer is written.
  void maybe_finish() {
    if (finished_ || reading_ || writing_ || in_flight_ > 0) return;
    if (cancelled_) {
      finished_ = true;
      Finish(grpc::Status::CANCELLED);
    } else if (reads_done_ && pending_.empty()) {
      finished_ = true;
      Finish(grpc::Status::OK);
    }
  }

  ServiceContext& ctx_;
  v1::ProduceRequest request_;  // owned by the read in progress
  std::mutex mu_;
  v1::ProduceResponse current_;               // guarded by mu_: the write in progress
  std::deque<v1::ProduceResponse> pending_;   // guarded by mu_
  std::size_t in_flight_ = 0;                 // guarded by mu_
  bool reading_ = false;                      // guarded by mu_
  bool writing_ = false;                      // guarded by mu_
  bool reads_done_ = false;                   // guarded by mu_
  bool cancelled_ = false;                    // guarded by mu_
  bool finished_ = false;                     // guarded by mu_
};

}  // namespace

grpc::ServerBidiReactor<v1::ProduceRequest, v1::ProduceResponse>* ProduceService::Produce(
    grpc::CallbackServerContext* /*call*/) {
  return new ProduceStream(ctx_);
}

grpc::ServerUnaryReactor* ProduceService::InitProducerId(grpc::CallbackServerContext* call,
                                                         const v1::InitProducerIdRequest* /*request*/,
                                                         v1::InitProducerIdResponse* response) {
  return run_unary(call, ctx_, "InitProducerId", ctx_.pool.get_executor(), [response] {
    *response->mutable_error() =
        to_proto_error(unsupported_error("idempotent producers are not supported yet"));
    response->set_producer_id(-1);
    response->set_producer_epoch(-1);
  });
}

}  // namespace strata::broker::native
