#include "broker/native/produce_service.h"

#include <deque>
#include <mutex>

#include "broker/logger.h"
#include "broker/native/error_mapping.h"
#include "broker/produce_validation.h"
#include "broker/producer_id_allocator.h"
#include "broker/topic_manager.h"

namespace strata::broker::native {
namespace {

// Requests read ahead on one stream before the reactor stops reading and
// waits for answers (gRPC flow control then holds the client back).
constexpr std::size_t kMaxInFlight = 256;

ErrorSubject to_error_subject(ProduceSubject subject) {
  switch (subject) {
    case ProduceSubject::topic: return ErrorSubject::topic;
    case ProduceSubject::partition: return ErrorSubject::partition;
    case ProduceSubject::record: return ErrorSubject::record;
  }
  return ErrorSubject::none;
}

// Unspecified counts as ACKS_ALL, the safe choice (produce_service.proto).
Acks to_acks(v1::Acks acks) {
  if (acks == v1::ACKS_NONE) return Acks::none;
  return acks == v1::ACKS_LEADER ? Acks::leader : Acks::all;
}

// One Produce call: reads requests, hands each batch to its partition's
// owner strand and writes the answers as they complete. Per partition,
// appends and answers keep request order (one strand per partition, FIFO).
// Deletes itself in OnDone (after the thread that called Finish released
// mu_); Finish is called only once nothing is in flight, so no completion
// outlives it.
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

  void OnDone() override {
    // Finish() is called with mu_ held, and gRPC may run OnDone on another
    // thread before that caller unlocks: deleting at once freed the mutex
    // under its holder (ThreadSanitizer caught it when a client cancelled
    // mid-stream). Taking mu_ once waits for the holder to let go; after
    // Finish nothing locks it again.
    { std::lock_guard lock(mu_); }
    delete this;
  }

 private:
  void handle(const v1::ProduceRequest& request) {
    const auto start = std::chrono::steady_clock::now();
    const bool answer = request.acks() != v1::ACKS_NONE;
    const std::uint64_t correlation_id = request.correlation_id();
    const ProduceTarget target = check_produce(ctx_.topics, request.topic(), request.partition(),
                                               as_bytes(request.records().batches()), ProduceRules{});
    Status st = target.status;
    ErrorSubject subject = to_error_subject(target.subject);
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
    Buffer batch = to_buffer(bytes);
    ctx_.probe.add_bytes_in(bytes.size());
    const std::shared_ptr<Partition>& partition = target.partition;
    partition->append(std::move(batch), to_acks(request.acks()),
                      [this, answer, correlation_id, partition,
                       start](Result<storage::AppendResult> result) {
      std::lock_guard inner(mu_);
      if (!result.ok()) {
        logger()->info("produce {}: {}", partition->name(), result.status().to_string());
        // out_of_range from an append is an idempotent producer's sequence gap.
        const ErrorSubject s = result.status().code() == ErrorCode::out_of_range
                                   ? ErrorSubject::sequence
                                   : ErrorSubject::record;
        complete_locked(answer, correlation_id, result.status(), s, -1, -1, start);
      } else {
        complete_locked(answer, correlation_id, Status(), ErrorSubject::none,
                        result->base_offset.value(), partition->log_start_offset().value(), start);
      }
    });
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
  // On the pool: a new block of ids is written to RocksDB.
  return run_unary(call, ctx_, "InitProducerId", ctx_.pool.get_executor(), [this, response] {
    auto id = ctx_.producer_ids.allocate();
    if (!id.ok()) {
      logger()->error("InitProducerId: {}", id.status().to_string());
      *response->mutable_error() = to_proto_error(
          Status(ErrorCode::unavailable, "no producer id: " + id.status().to_string()));
      response->set_producer_id(-1);
      response->set_producer_epoch(-1);
      return;
    }
    response->set_producer_id(*id);
    response->set_producer_epoch(0);
  });
}

}  // namespace strata::broker::native
