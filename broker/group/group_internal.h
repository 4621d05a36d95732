#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "broker/group/group_coordinator.h"

// Helpers shared by the files that implement Group (group*.cc); nothing
// outside broker/group/ includes this. Pure functions, any thread.
namespace strata::broker::group_internal {

inline JoinGroupResult join_error(GroupError error, std::string member_id,
                                  std::string message = {}) {
  JoinGroupResult r;
  r.status = GroupStatus{error, std::move(message)};
  r.member_id = std::move(member_id);
  return r;
}

inline SyncGroupResult sync_error(GroupError error, std::string message = {}) {
  SyncGroupResult r;
  r.status = GroupStatus{error, std::move(message)};
  return r;
}

// Whether `protocols` offers the protocol `name`.
inline bool offers(const std::vector<GroupProtocolMetadata>& protocols, const std::string& name) {
  return std::any_of(protocols.begin(), protocols.end(),
                     [&](const GroupProtocolMetadata& p) { return p.name == name; });
}

}  // namespace strata::broker::group_internal
