// Produce (key 0), v3-7: one RecordBatch v2 per partition, checked here and
// by the log, appended on the partition's strand with its base offset
// assigned; answered once every partition's append is durable (acks 1 and
// -1 alike on a single node), or not at all for acks 0 (whose errors close
// the connection so that the producer refreshes its metadata). v0-2 are
// advertised (librdkafka enables compression from Produce v0) but refused.
#include <cstring>
#include <memory>
#include <mutex>

#include "broker/broker_probe.h"
#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/logger.h"
#include "broker/topic_manager.h"
#include "common/record_batch.h"

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

// Where `data` goes, or why it may not. `subject` picks the Kafka code.
Result<std::shared_ptr<Partition>> find_partition(TopicManager& topics, const std::string& name,
                                                  std::int32_t index, KafkaSubject& subject) {
  subject = KafkaSubject::topic;
  STRATA_TRY_ASSIGN(auto topic, topics.find_topic(name));
  if (topic->is_internal) {
    return invalid_argument_error("topic " + name + " is internal: clients may not produce to it");
  }
  if (index < 0 || static_cast<std::size_t>(index) >= topic->partitions.size()) {
    return not_found_error(name + "-" + std::to_string(index) + ": no such partition");
  }
  return topic->partitions[static_cast<std::size_t>(index)];
}

// The checks Kafka makes before the log sees a batch (ProduceRequest.
// validateRecords, LogValidator): exactly one magic-2 batch, within
// max.message.bytes, no zstd below v7, no transactional or control batch.
// CRC and framing inside the batch are checked by the log.
Status check_batch(const Records& records, const Partition& partition, std::int16_t version) {
  const std::string& name = partition.name();
  if (records.is_null() || records.size() == 0) {
    return invalid_argument_error(name + ": no record batch");
  }
  const ByteSpan bytes = *records.bytes;
  if (bytes.size() > partition.max_message_bytes()) {
    return too_large_error(name + ": batch of " + std::to_string(bytes.size()) +
                           " bytes is over max.message.bytes " +
                           std::to_string(partition.max_message_bytes()));
  }
  if (bytes.size() > batch_layout::kMagic &&
      static_cast<std::int8_t>(bytes[batch_layout::kMagic]) != kMagicV2) {
    return invalid_argument_error(name + ": only magic 2 record batches are accepted");
  }
  STRATA_TRY_ASSIGN(RecordBatchHeader header, parse_batch_header(bytes));
  if (header.size_bytes() != bytes.size()) {
    return invalid_argument_error(name + ": a produce request must hold exactly one batch per "
                                         "partition");
  }
  if ((header.attributes & kCompressionMask) == static_cast<std::int16_t>(Compression::zstd) &&
      version < kFirstZstdVersion) {
    return unsupported_error(name + ": zstd batches need Produce v7");
  }
  if (header.is_control() || header.is_transactional()) {
    return invalid_argument_error(name + ": control and transactional batches are not accepted");
  }
  return Status();
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
      KafkaSubject subject = KafkaSubject::topic;
      auto partition = find_partition(ctx.topics, topic.name, p.index, subject);
      Status st = partition.status();
      if (st.ok()) {
        subject = KafkaSubject::record;
        st = check_batch(p.records, **partition, version);
      }
      if (!st.ok()) {
        logger()->debug("kafka produce {}-{}: {}", topic.name, p.index, st.to_string());
        complete(call, slot, st, subject, -1, -1);
        continue;
      }
      Buffer batch(p.records.bytes->begin(), p.records.bytes->end());
      ctx.probe.add_bytes_in(batch.size());
      std::shared_ptr<Partition> target = *partition;
      target->append(std::move(batch), [call, &slot, target](Result<storage::AppendResult> r) {
        if (!r.ok()) {
          const KafkaSubject s = r.status().code() == ErrorCode::out_of_range
                                     ? KafkaSubject::sequence
                                     : KafkaSubject::record;
          logger()->debug("kafka produce {}: {}", target->name(), r.status().to_string());
          complete(call, slot, r.status(), s, -1, -1);
          return;
        }
        complete(call, slot, Status(), KafkaSubject::none, r->base_offset.value(),
                 target->log_start_offset().value());
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
