#pragma once

#include <cstdint>

#include "broker/group/group_error.h"
#include "common/status.h"
#include "strata/v1/admin_service.pb.h"
#include "strata/v1/common.pb.h"

namespace strata::storage {
enum class WriteState : std::uint8_t;  // storage/partition_log.h
}  // namespace strata::storage

namespace strata::broker::native {

// What a failed operation was about. Status codes are generic (an unknown
// topic and an unknown group are both not_found); the subject picks the
// precise protocol code.
enum class ErrorSubject {
  none,
  topic_name,       // a name being created
  partition_count,  // CreateTopic / AddPartitions counts
  topic_config,     // configs being set
  topic,            // an existing topic being looked up
  partition,        // a partition of an existing topic (lookup, reads)
  record,           // a produced batch
  sequence,         // an idempotent producer's sequence numbers
  group,            // a group id
  offset_metadata,  // an offset commit's metadata
  user,             // a user name or password (UserService)
};

// The one mapping from Strata's error codes to the native API's codes.
v1::ErrorCode to_proto(ErrorCode code, ErrorSubject subject = ErrorSubject::none);

// A log's write state as DescribeTopic reports it.
v1::PartitionWriteState to_proto(storage::WriteState state);

// The one mapping from the group coordinator's (Kafka) codes to the native
// API's codes.
v1::ErrorCode to_proto(GroupError error);
v1::Error to_proto_error(const GroupStatus& status);

// An Error message for `status` (code NONE and no message when ok).
v1::Error to_proto_error(const Status& status, ErrorSubject subject = ErrorSubject::none);

}  // namespace strata::broker::native
