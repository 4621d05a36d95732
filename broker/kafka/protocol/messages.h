#pragma once

// Every request and response struct the codec knows, as two variants.

#include <variant>

#include "broker/kafka/protocol/api_versions.h"
#include "broker/kafka/protocol/create_partitions.h"
#include "broker/kafka/protocol/create_topics.h"
#include "broker/kafka/protocol/delete_groups.h"
#include "broker/kafka/protocol/delete_records.h"
#include "broker/kafka/protocol/delete_topics.h"
#include "broker/kafka/protocol/describe_configs.h"
#include "broker/kafka/protocol/describe_groups.h"
#include "broker/kafka/protocol/fetch.h"
#include "broker/kafka/protocol/find_coordinator.h"
#include "broker/kafka/protocol/heartbeat.h"
#include "broker/kafka/protocol/init_producer_id.h"
#include "broker/kafka/protocol/join_group.h"
#include "broker/kafka/protocol/leave_group.h"
#include "broker/kafka/protocol/list_groups.h"
#include "broker/kafka/protocol/list_offsets.h"
#include "broker/kafka/protocol/metadata.h"
#include "broker/kafka/protocol/offset_commit.h"
#include "broker/kafka/protocol/offset_fetch.h"
#include "broker/kafka/protocol/offset_for_leader_epoch.h"
#include "broker/kafka/protocol/produce.h"
#include "broker/kafka/protocol/sasl_authenticate.h"
#include "broker/kafka/protocol/sasl_handshake.h"
#include "broker/kafka/protocol/sync_group.h"

namespace strata::kafka {

// One alternative per row of supported_apis(); each type's kApiKey names it.
using RequestBody =
    std::variant<ProduceRequest, FetchRequest, ListOffsetsRequest, MetadataRequest,
                 OffsetCommitRequest, OffsetFetchRequest, FindCoordinatorRequest, JoinGroupRequest,
                 HeartbeatRequest, LeaveGroupRequest, SyncGroupRequest, DescribeGroupsRequest,
                 ListGroupsRequest, ApiVersionsRequest, CreateTopicsRequest, DeleteTopicsRequest,
                 InitProducerIdRequest, DescribeConfigsRequest, CreatePartitionsRequest,
                 DeleteGroupsRequest, SaslHandshakeRequest, SaslAuthenticateRequest,
                 DeleteRecordsRequest, OffsetForLeaderEpochRequest>;

using ResponseBody =
    std::variant<ProduceResponse, FetchResponse, ListOffsetsResponse, MetadataResponse,
                 OffsetCommitResponse, OffsetFetchResponse, FindCoordinatorResponse,
                 JoinGroupResponse, HeartbeatResponse, LeaveGroupResponse, SyncGroupResponse,
                 DescribeGroupsResponse, ListGroupsResponse, ApiVersionsResponse,
                 CreateTopicsResponse, DeleteTopicsResponse, InitProducerIdResponse,
                 DescribeConfigsResponse, CreatePartitionsResponse, DeleteGroupsResponse,
                 SaslHandshakeResponse, SaslAuthenticateResponse, DeleteRecordsResponse,
                 OffsetForLeaderEpochResponse>;

// The api key of whichever alternative `body` holds.
template <typename Variant>
ApiKey api_key_of(const Variant& body) {
  return std::visit([](const auto& b) { return std::decay_t<decltype(b)>::kApiKey; }, body);
}

namespace detail {

// Default-constructs the alternative of `Variant` whose kApiKey is `key`;
// false when none matches.
template <typename Variant, std::size_t I = 0>
bool emplace_for_key(Variant& v, ApiKey key) {
  if constexpr (I == std::variant_size_v<Variant>) {
    return false;
  } else {
    if (std::variant_alternative_t<I, Variant>::kApiKey == key) {
      v.template emplace<I>();
      return true;
    }
    return emplace_for_key<Variant, I + 1>(v, key);
  }
}

}  // namespace detail

}  // namespace strata::kafka
