#include "broker/kafka/error_mapping.h"

namespace strata::broker::kafka {

using strata::kafka::KafkaError;

KafkaError to_kafka_error(ErrorCode code, KafkaSubject subject) {
  using S = KafkaSubject;
  switch (code) {
    case ErrorCode::ok:
      return KafkaError::none;
    case ErrorCode::not_found:
      return subject == S::group ? KafkaError::group_id_not_found
                                 : KafkaError::unknown_topic_or_partition;
    case ErrorCode::already_exists:
      return KafkaError::topic_already_exists;
    case ErrorCode::invalid_argument:
      switch (subject) {
        case S::topic_name: return KafkaError::invalid_topic_exception;
        case S::partition_count: return KafkaError::invalid_partitions;
        case S::topic_config: return KafkaError::invalid_config;
        case S::record: return KafkaError::invalid_record;
        case S::group: return KafkaError::invalid_group_id;
        case S::topic: return KafkaError::invalid_topic_exception;
        default: return KafkaError::invalid_request;
      }
    case ErrorCode::out_of_range:
      return subject == S::sequence ? KafkaError::out_of_order_sequence_number
                                    : KafkaError::offset_out_of_range;
    case ErrorCode::corruption:
      // A produced batch that fails its checks is the client's; damage found
      // while reading is the broker's storage (KAFKA_STORAGE_ERROR is not in
      // every client's table: unknown server error).
      return subject == S::record ? KafkaError::corrupt_message : KafkaError::unknown_server_error;
    case ErrorCode::io_error:
    case ErrorCode::no_space:
      // A failed write or sync (KIP-112): retriable for clients, which
      // refresh metadata and retry; the partition may be writable again
      // once space is free.
      return KafkaError::kafka_storage_error;
    case ErrorCode::not_leader:
      return KafkaError::not_leader_or_follower;
    case ErrorCode::stale_epoch:
      return subject == S::leader_epoch ? KafkaError::fenced_leader_epoch
                                        : KafkaError::not_leader_or_follower;
    case ErrorCode::fenced:
      return KafkaError::invalid_producer_epoch;
    case ErrorCode::timed_out:
      return KafkaError::request_timed_out;
    case ErrorCode::unavailable:
      if (subject == S::leader_epoch) return KafkaError::unknown_leader_epoch;
      return subject == S::group ? KafkaError::coordinator_not_available
                                 : KafkaError::leader_not_available;
    case ErrorCode::too_large:
      return KafkaError::message_too_large;
    case ErrorCode::unsupported:
      if (subject == S::record_deletion) return KafkaError::policy_violation;
      return subject == S::record ? KafkaError::unsupported_compression_type
                                  : KafkaError::unsupported_version;
    case ErrorCode::shutting_down:
      return subject == S::group ? KafkaError::coordinator_not_available
                                 : KafkaError::not_leader_or_follower;
    case ErrorCode::internal:
      return KafkaError::unknown_server_error;
  }
  return KafkaError::unknown_server_error;
}

std::int16_t kafka_error_code(const Status& status, KafkaSubject subject) {
  return strata::kafka::to_int(to_kafka_error(status.code(), subject));
}

}  // namespace strata::broker::kafka
