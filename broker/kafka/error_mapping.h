#pragma once

#include "broker/kafka/protocol/error_code.h"
#include "common/status.h"

namespace strata::broker::kafka {

// What a failed operation was about. Strata's codes are generic (an unknown
// topic and an unknown group are both not_found); the subject picks Kafka's
// precise code.
enum class KafkaSubject {
  none,
  topic_name,       // a name being created
  partition_count,  // CreateTopics / CreatePartitions counts
  topic_config,     // configs being set
  topic,            // an existing topic or partition being looked up
  record,           // a produced batch
  sequence,         // an idempotent producer's sequence numbers
  group,            // a group id or member
  offset_metadata,  // an offset commit's metadata
  record_deletion,  // DeleteRecords on a topic whose cleanup.policy forbids it
  leader_epoch,     // a client's current leader epoch, checked by the replica
};

// The one mapping from Strata's error codes to Kafka's (docs/kafka-protocol.md).
strata::kafka::KafkaError to_kafka_error(ErrorCode code, KafkaSubject subject = KafkaSubject::none);

// to_kafka_error(status.code(), subject) as the int16 a response carries.
std::int16_t kafka_error_code(const Status& status, KafkaSubject subject = KafkaSubject::none);

}  // namespace strata::broker::kafka
