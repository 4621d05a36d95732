// Produce (key 0), v3-7: one RecordBatch v2 per partition, checked by
// check_produce (with Kafka's framing rules) and by the log, appended on
// the partition's strand with its base offset assigned; answered once every
// partition's append is durable (acks 1 and -1 alike on a single node), or
// not at all for acks 0 (whose errors close the connection so that the
// producer refreshes its metadata). v0-2 are advertised (librdkafka enables
// compression from Produce v0) but refused.
#include <memory>
#include <mutex>

#include "broker/broker_probe.h"
#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/logger.h"
#include "broker/partition.h"
#include "broker/produce_validation.h"

namespace strata::broker::kafka {
namespace {

using namespace ::strata::kafka;
using PartitionResponse = ProduceResponse::Topic::Partition;

// The first version whose batches may use zstd (KIP-110).
constexpr std::int16_t kFirstZstdVersion = 7;
constexpr std::int16_t kFirstServedVersion = 3;

// The request's answer, filled as the appends complete.
struct ProduceCall {
  RequestContext request;
  std::int16_t acks = 0;
  ProduceResponse response;
  std::mutex mu;
  std::size_t pending = 0;  // guarded by mu
  bool failed = false;      // guarded by mu: some partition got an error
};

// Requires a valid acks value (0, 1 or -1).
Acks to_acks(std::int16_t acks) {
  if (acks == 0) return Acks::none;
  return acks == 1 ? Acks::leader : Acks::all;
}

KafkaSubject to_kafka_subject(ProduceSubject subject) {
  // Kafka has one code for an unknown topic or partition.
  return subject == ProduceSubject::record ? KafkaSubject::record : KafkaSubject::topic;
}

void finish(const std::shared_ptr<ProduceCall>& call) {
  if (call->acks == 0) {
    // No answer; an error closes the connection (Kafka does the same).
    call->request.reply(Reply{{}, true, call->failed});
    return;
  }
  send_response(call->request, call->response);
}

void complete(const std::shared_ptr<ProduceCall>& call, PartitionResponse& out, const Status& st,
              KafkaSubject subject, std::int64_t base_offset, std::int64_t log_start) {
  bool done = false;
  {
    std::lock_guard lock(call->mu);
    out.error_code = kafka_error_code(st, subject);
    out.base_offset = st.ok() ? base_offset : -1;
    out.log_start_offset = st.ok() ? log_start : -1;
    if (!st.ok()) call->failed = true;
    done = --call->pending == 0;
  }
  if (done) finish(call);
}

void complete_with_code(const std::shared_ptr<ProduceCall>& call, PartitionResponse& out,
                        std::int16_t code) {
  bool done = false;
  {
    std::lock_guard lock(call->mu);
    out.error_code = code;
    call->failed = true;
    done = --call->pending == 0;
  }
  if (done) finish(call);
}

}  // namespace

void handle_produce(HandlerContext& ctx, RequestContext request, ProduceRequest body) {
  auto call = std::make_shared<ProduceCall>();
  call->acks = body.acks;
  const std::int16_t version = request.header.api_version;
  // An error of the whole request, answered for every partition.
  std::int16_t whole_error = 0;
  if (version < kFirstServedVersion) {
    whole_error = to_int(KafkaError::unsupported_version);
  } else if (body.acks != 0 && body.acks != 1 && body.acks != -1) {
    whole_error = to_int(KafkaError::invalid_required_acks);
  } else if (ctx.stopping.load(std::memory_order_acquire)) {
    whole_error = kafka_error_code(Status(ErrorCode::shutting_down, "stopping"));
  }
  // Build every answer slot first: appends complete into them concurrently.
  std::size_t count = 0;
  for (const auto& topic : body.topic_data) {
    ProduceResponse::Topic& out = call->response.responses.emplace_back();
    out.name = topic.name;
    for (const auto& p : topic.partition_data) {
      PartitionResponse& slot = out.partition_responses.emplace_back();
      slot.index = p.index;
      slot.base_offset = -1;
      ++count;
    }
  }
  call->pending = count + 1;  // +1: held until every append is started
  call->request = std::move(request);
  for (std::size_t t = 0; t < body.topic_data.size(); ++t) {
    const auto& topic = body.topic_data[t];
    for (std::size_t i = 0; i < topic.partition_data.size(); ++i) {
      const auto& p = topic.partition_data[i];
      PartitionResponse& slot = call->response.responses[t].partition_responses[i];
      if (whole_error != 0) {
        complete_with_code(call, slot, whole_error);
        continue;
      }
      const ByteSpan bytes = p.records.is_null() ? ByteSpan() : *p.records.bytes;
      ProduceTarget target =
          check_produce(ctx.topics, topic.name, p.index, bytes,
                        ProduceRules{.check_framing = true, .allow_zstd = version >= kFirstZstdVersion});
      if (!target.status.ok()) {
        logger()->debug("kafka produce {}-{}: {}", topic.name, p.index, target.status.to_string());
        complete(call, slot, target.status, to_kafka_subject(target.subject), -1, -1);
        continue;
      }
      Buffer batch(bytes.begin(), bytes.end());
      ctx.probe.add_bytes_in(batch.size());
      std::shared_ptr<Partition> partition = std::move(target.partition);
      partition->append(std::move(batch), to_acks(body.acks),
                        [call, &slot, partition](Result<storage::AppendResult> r) {
        if (!r.ok()) {
          const KafkaSubject s = r.status().code() == ErrorCode::out_of_range
                                     ? KafkaSubject::sequence
                                     : KafkaSubject::record;
          logger()->debug("kafka produce {}: {}", partition->name(), r.status().to_string());
          complete(call, slot, r.status(), s, -1, -1);
          return;
        }
        complete(call, slot, Status(), KafkaSubject::none, r->base_offset.value(),
                 partition->log_start_offset().value());
      });
    }
  }
  bool done = false;
  {
    std::lock_guard lock(call->mu);
    done = --call->pending == 0;
  }
  if (done) finish(call);
}

}  // namespace strata::broker::kafka
