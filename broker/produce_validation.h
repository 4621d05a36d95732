#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/bytes.h"
#include "common/status.h"

namespace strata::broker {

class Partition;
class TopicManager;

// What a refused produce is about. Each protocol turns it, with the status
// code, into its own error (native ErrorSubject, Kafka KafkaSubject).
enum class ProduceSubject {
  topic,      // unknown topic, or an internal one
  partition,  // no such partition in the topic
  record,     // the batch itself
};

// How a protocol frames produced batches; the remaining checks are common.
struct ProduceRules {
  // Refuse up front, as invalid_argument, an empty request, a magic other
  // than 2 and bytes beyond the first batch (Kafka's Produce v3+ rules).
  // Without it the header parse (corruption) and the log refuse them.
  bool check_framing = false;
  // zstd batches are accepted (Kafka: Produce v7 and later only).
  bool allow_zstd = true;
};

// Where a produced batch goes, or why it may not go there.
struct ProduceTarget {
  std::shared_ptr<Partition> partition;  // set when status is ok
  Status status;
  ProduceSubject subject = ProduceSubject::topic;  // what a non-ok status is about
};

// The checks a produced batch passes before its partition's log sees it,
// shared by the native ProduceService and the Kafka Produce handler: the
// topic exists and is not internal, the partition exists, the batch is
// within max.message.bytes (checked first, as Kafka does), its header
// parses, it is neither control nor transactional, plus `rules`. The log
// checks the CRC and the framing inside the batch on the partition's strand.
// Errors: not_found (topic, partition), invalid_argument (internal topic;
// record: control, transactional, framing), too_large, corruption (header),
// unsupported (zstd when not allowed). Any thread; no I/O.
ProduceTarget check_produce(const TopicManager& topics, const std::string& topic,
                            std::int32_t partition, ByteSpan batch, const ProduceRules& rules);

}  // namespace strata::broker
