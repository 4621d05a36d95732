#include "broker/native/error_mapping.h"

#include "storage/partition_log.h"

namespace strata::broker::native {

v1::ErrorCode to_proto(ErrorCode code, ErrorSubject subject) {
  using S = ErrorSubject;
  switch (code) {
    case ErrorCode::ok:
      return v1::NONE;
    case ErrorCode::not_found:
      if (subject == S::partition) return v1::UNKNOWN_PARTITION;
      if (subject == S::group) return v1::UNKNOWN_GROUP;
      if (subject == S::user) return v1::UNKNOWN_USER;
      return v1::UNKNOWN_TOPIC;
    case ErrorCode::already_exists:
      return v1::TOPIC_ALREADY_EXISTS;
    case ErrorCode::invalid_argument:
      switch (subject) {
        case S::topic_name: return v1::INVALID_TOPIC_NAME;
        case S::partition_count: return v1::INVALID_PARTITIONS;
        case S::topic_config: return v1::INVALID_CONFIG;
        case S::record: return v1::INVALID_RECORD;
        case S::group: return v1::INVALID_GROUP_ID;
        case S::user: return v1::INVALID_USER;
        default: return v1::INVALID_REQUEST;
      }
    case ErrorCode::out_of_range:
      return subject == S::sequence ? v1::OUT_OF_ORDER_SEQUENCE : v1::OFFSET_OUT_OF_RANGE;
    case ErrorCode::corruption:
      // A produced batch that fails its checks is the client's; damage found
      // while reading is the broker's storage.
      return subject == S::record ? v1::CORRUPT_RECORD : v1::STORAGE_ERROR;
    case ErrorCode::io_error:
    case ErrorCode::no_space:
      return v1::STORAGE_ERROR;
    case ErrorCode::not_leader:
    case ErrorCode::stale_epoch:
      return v1::NOT_LEADER;
    case ErrorCode::fenced:
      return v1::INVALID_PRODUCER_EPOCH;
    case ErrorCode::timed_out:
      return v1::TIMED_OUT;
    case ErrorCode::unavailable:
      return v1::UNAVAILABLE;
    case ErrorCode::too_large:
      return subject == S::offset_metadata ? v1::OFFSET_METADATA_TOO_LARGE : v1::RECORD_TOO_LARGE;
    case ErrorCode::unsupported:
      return v1::UNSUPPORTED;
    case ErrorCode::shutting_down:
      return v1::SHUTTING_DOWN;
    case ErrorCode::internal:
      return v1::INTERNAL;
  }
  return v1::INTERNAL;
}

v1::PartitionWriteState to_proto(storage::WriteState state) {
  switch (state) {
    case storage::WriteState::writable: return v1::PARTITION_WRITE_STATE_WRITABLE;
    case storage::WriteState::out_of_space: return v1::PARTITION_WRITE_STATE_OUT_OF_SPACE;
    case storage::WriteState::read_only: return v1::PARTITION_WRITE_STATE_READ_ONLY;
  }
  return v1::PARTITION_WRITE_STATE_UNSPECIFIED;
}

v1::ErrorCode to_proto(GroupError error) {
  switch (error) {
    case GroupError::none: return v1::NONE;
    case GroupError::unknown_topic_or_partition: return v1::UNKNOWN_PARTITION;
    case GroupError::offset_metadata_too_large: return v1::OFFSET_METADATA_TOO_LARGE;
    case GroupError::coordinator_load_in_progress: return v1::COORDINATOR_LOADING;
    case GroupError::coordinator_not_available: return v1::UNAVAILABLE;
    case GroupError::not_coordinator: return v1::NOT_COORDINATOR;
    case GroupError::illegal_generation: return v1::ILLEGAL_GENERATION;
    case GroupError::inconsistent_group_protocol: return v1::INCONSISTENT_GROUP_PROTOCOL;
    case GroupError::invalid_group_id: return v1::INVALID_GROUP_ID;
    case GroupError::unknown_member_id: return v1::UNKNOWN_MEMBER;
    case GroupError::invalid_session_timeout: return v1::INVALID_SESSION_TIMEOUT;
    case GroupError::rebalance_in_progress: return v1::REBALANCE_IN_PROGRESS;
    case GroupError::non_empty_group: return v1::GROUP_NOT_EMPTY;
    case GroupError::group_id_not_found: return v1::UNKNOWN_GROUP;
    // The native API never asks for it (require_known_member_id is false).
    case GroupError::member_id_required: return v1::INVALID_REQUEST;
    case GroupError::unknown_server_error: return v1::INTERNAL;
  }
  return v1::INTERNAL;
}

v1::Error to_proto_error(const GroupStatus& status) {
  v1::Error error;
  error.set_code(to_proto(status.error));
  if (!status.ok()) {
    error.set_message(status.message.empty() ? std::string(to_string(status.error))
                                             : status.message);
  }
  return error;
}

v1::Error to_proto_error(const Status& status, ErrorSubject subject) {
  v1::Error error;
  error.set_code(to_proto(status.code(), subject));
  if (!status.ok()) error.set_message(status.message());
  return error;
}

}  // namespace strata::broker::native
