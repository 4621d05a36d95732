#include "client/src/proto_convert.h"

namespace strata::client {

ErrorCode from_proto(v1::ErrorCode code) {
  switch (code) {
    case v1::NONE: return ErrorCode::ok;
    case v1::UNKNOWN_TOPIC:
    case v1::UNKNOWN_PARTITION:
    case v1::UNKNOWN_GROUP:
    case v1::UNKNOWN_USER: return ErrorCode::not_found;
    case v1::TOPIC_ALREADY_EXISTS: return ErrorCode::already_exists;
    case v1::INVALID_TOPIC_NAME:
    case v1::INVALID_PARTITIONS:
    case v1::INVALID_REPLICATION_FACTOR:
    case v1::INVALID_CONFIG:
    case v1::INVALID_RECORD:
    case v1::INVALID_REQUEST:
    case v1::OUT_OF_ORDER_SEQUENCE:
    case v1::INVALID_GROUP_ID:
    case v1::INCONSISTENT_GROUP_PROTOCOL:
    case v1::INVALID_SESSION_TIMEOUT:
    case v1::GROUP_NOT_EMPTY:
    case v1::INVALID_USER: return ErrorCode::invalid_argument;
    case v1::OFFSET_OUT_OF_RANGE: return ErrorCode::out_of_range;
    case v1::CORRUPT_RECORD: return ErrorCode::corruption;
    case v1::RECORD_TOO_LARGE:
    case v1::OFFSET_METADATA_TOO_LARGE: return ErrorCode::too_large;
    case v1::UNSUPPORTED_COMPRESSION:
    case v1::UNSUPPORTED: return ErrorCode::unsupported;
    case v1::NOT_LEADER:
    case v1::NOT_COORDINATOR: return ErrorCode::not_leader;
    case v1::LEADER_NOT_AVAILABLE:
    case v1::NOT_ENOUGH_REPLICAS:
    case v1::UNAVAILABLE:
    case v1::COORDINATOR_LOADING:
    case v1::REBALANCE_IN_PROGRESS: return ErrorCode::unavailable;
    case v1::TIMED_OUT: return ErrorCode::timed_out;
    case v1::STORAGE_ERROR: return ErrorCode::io_error;
    case v1::SHUTTING_DOWN: return ErrorCode::shutting_down;
    case v1::UNKNOWN_PRODUCER_ID:
    case v1::INVALID_PRODUCER_EPOCH:
    case v1::UNKNOWN_MEMBER: return ErrorCode::fenced;
    case v1::ILLEGAL_GENERATION: return ErrorCode::stale_epoch;
    default: return ErrorCode::internal;
  }
}

Status from_proto(const v1::Error& error) {
  if (error.code() == v1::NONE) return Status();
  std::string message = error.message();
  if (message.empty()) message = v1::ErrorCode_Name(error.code());
  if (message.empty()) message = "error code " + std::to_string(error.code());
  return Status(from_proto(error.code()), std::move(message));
}

PartitionWriteState from_proto(v1::PartitionWriteState state) {
  switch (state) {
    case v1::PARTITION_WRITE_STATE_WRITABLE: return PartitionWriteState::writable;
    case v1::PARTITION_WRITE_STATE_OUT_OF_SPACE: return PartitionWriteState::out_of_space;
    case v1::PARTITION_WRITE_STATE_READ_ONLY: return PartitionWriteState::read_only;
    default: return PartitionWriteState::unknown;
  }
}

bool is_retriable(v1::ErrorCode code) {
  switch (code) {
    case v1::NOT_LEADER:
    case v1::LEADER_NOT_AVAILABLE:
    case v1::NOT_ENOUGH_REPLICAS:
    case v1::TIMED_OUT:
    case v1::UNAVAILABLE:
    case v1::STORAGE_ERROR:
    case v1::SHUTTING_DOWN:
    case v1::NOT_COORDINATOR:
    case v1::COORDINATOR_LOADING: return true;
    default: return false;
  }
}

Status from_grpc(const grpc::Status& status, const std::string& address) {
  if (status.ok()) return Status();
  const std::string detail = status.error_message();
  switch (status.error_code()) {
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return Status(ErrorCode::timed_out, "broker " + address + " did not answer in time: " + detail);
    case grpc::StatusCode::UNAVAILABLE:
      return Status(ErrorCode::unavailable, "broker " + address + " unreachable: " + detail);
    case grpc::StatusCode::CANCELLED:
      return Status(ErrorCode::unavailable, "broker " + address + ": call cancelled: " + detail);
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return too_large_error("broker " + address + ": " + detail);
    case grpc::StatusCode::UNIMPLEMENTED:
      return unsupported_error("broker " + address + " does not implement this call: " + detail);
    default:
      return Status(ErrorCode::unavailable,
                    "broker " + address + ": transport error " +
                        std::to_string(static_cast<int>(status.error_code())) + ": " + detail);
  }
}

v1::Acks to_proto(Acks acks) {
  switch (acks) {
    case Acks::none: return v1::ACKS_NONE;
    case Acks::leader: return v1::ACKS_LEADER;
    case Acks::all: return v1::ACKS_ALL;
  }
  return v1::ACKS_ALL;
}

Compression to_codec(CompressionType type) {
  return static_cast<Compression>(static_cast<std::uint8_t>(type));
}

}  // namespace strata::client
