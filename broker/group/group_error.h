#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::broker {

// The outcome of a group coordinator operation, with Kafka's meaning. The
// enumerator values ARE Kafka's error codes, so the Kafka listener may send
// static_cast<int16_t>(error); the native API maps them in
// broker/native/error_mapping.cc (to_proto(GroupError)).
enum class GroupError : std::int16_t {
  none = 0,
  // An offset commit named an unknown topic or partition (handlers check
  // this; the coordinator never returns it).
  unknown_topic_or_partition = 3,
  // The offset-commit metadata is over kMaxOffsetMetadataBytes.
  offset_metadata_too_large = 12,
  // Retriable: the coordinator is loading or stopping.
  coordinator_load_in_progress = 14,
  // Retriable: the group is being deleted (Dead) or the store failed.
  coordinator_not_available = 15,
  // This broker does not coordinate the group (or is stopping): find the
  // coordinator again and retry.
  not_coordinator = 16,
  // The member's generation is not the group's: it missed a rebalance.
  illegal_generation = 22,
  // The protocol type, or every protocol the member offers, differs from
  // what the group uses (or the member offered none).
  inconsistent_group_protocol = 23,
  // The group id is empty, too long or contains NUL.
  invalid_group_id = 24,
  // The member id is not (or no longer) known: rejoin with an empty id.
  unknown_member_id = 25,
  // The session timeout is outside [min_session_timeout_ms,
  // max_session_timeout_ms].
  invalid_session_timeout = 26,
  // The group is rebalancing: rejoin with the same member id.
  rebalance_in_progress = 27,
  // DeleteGroups/ResetOffsets on a group that has members.
  non_empty_group = 68,
  // The group does not exist (no members, no metadata, no offsets).
  group_id_not_found = 69,
  // JoinGroup v4+ first join: the answer carries the member id to rejoin
  // with (JoinGroupParams::require_known_member_id).
  member_id_required = 79,
  // A failure inside the broker (the message says what).
  unknown_server_error = -1,
};

// Kafka's name for `error`, e.g. "REBALANCE_IN_PROGRESS".
std::string_view to_string(GroupError error);

// An error and the message explaining it (empty when none).
struct GroupStatus {
  GroupError error = GroupError::none;
  std::string message;

  bool ok() const { return error == GroupError::none; }
};

}  // namespace strata::broker
