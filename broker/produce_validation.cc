#include "broker/produce_validation.h"

#include "broker/partition.h"
#include "broker/topic_manager.h"
#include "common/record_batch.h"

namespace strata::broker {
namespace {

// The batch checks, in Kafka's order (ProduceRequest.validateRecords, then
// LogValidator): size first, then framing, compression and the header bits
// a plain or idempotent producer may not set.
Status check_batch(ByteSpan bytes, const Partition& partition, const ProduceRules& rules) {
  const std::string& name = partition.name();
  if (rules.check_framing && bytes.empty()) return invalid_argument_error(name + ": no record batch");
  const std::size_t limit = partition.max_message_bytes();
  if (bytes.size() > limit) {
    return too_large_error(name + ": batch of " + std::to_string(bytes.size()) +
                           " bytes is over max.message.bytes " + std::to_string(limit));
  }
  if (rules.check_framing && bytes.size() > batch_layout::kMagic &&
      static_cast<std::int8_t>(bytes[batch_layout::kMagic]) != kMagicV2) {
    return invalid_argument_error(name + ": only magic 2 record batches are accepted");
  }
  auto header = parse_batch_header(bytes);
  if (!header.ok()) return header.status().with_context(name);
  if (rules.check_framing && header->size_bytes() != bytes.size()) {
    return invalid_argument_error(name + ": a produce request must hold exactly one batch per "
                                         "partition");
  }
  if (!rules.allow_zstd && header->compression() == Compression::zstd) {
    return unsupported_error(name + ": zstd batches need Produce v7");
  }
  if (header->is_control() || header->is_transactional()) {
    return invalid_argument_error(name + ": control and transactional batches are not accepted");
  }
  return Status();
}

}  // namespace

ProduceTarget check_produce(const TopicManager& topics, const std::string& topic,
                            std::int32_t partition, ByteSpan batch, const ProduceRules& rules) {
  ProduceTarget target;
  auto found = topics.find_topic(topic);
  if (!found.ok()) {
    target.status = found.status();
    return target;
  }
  if ((*found)->is_internal) {
    target.status =
        invalid_argument_error("topic " + topic + " is internal: clients may not produce to it");
    return target;
  }
  auto p = (*found)->find_partition(partition);
  if (!p.ok()) {
    target.status = p.status();
    target.subject = ProduceSubject::partition;
    return target;
  }
  target.status = check_batch(batch, **p, rules);
  if (!target.status.ok()) {
    target.subject = ProduceSubject::record;
    return target;
  }
  target.partition = std::move(p).value();
  return target;
}

}  // namespace strata::broker
