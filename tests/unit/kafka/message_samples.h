#pragma once

// Sample messages for the codec tests: every field (in every version) set to
// a distinct non-default value, every array two elements long, every
// nullable present.

#include <cstdint>

#include "broker/kafka/protocol/messages.h"

namespace strata::kafka::testing {

// Hands out distinct values so that a field read into the wrong slot shows.
struct Counter {
  std::int64_t n = 1;
};

// Fills `m` from scratch (it must be default-constructed). Records fields
// point at static bytes that live for the whole test run.
#define STRATA_KAFKA_SAMPLE(T) void fill(Counter& c, T& m);
STRATA_KAFKA_SAMPLE(ApiVersionsRequest)
STRATA_KAFKA_SAMPLE(ApiVersionsResponse)
STRATA_KAFKA_SAMPLE(MetadataRequest)
STRATA_KAFKA_SAMPLE(MetadataResponse)
STRATA_KAFKA_SAMPLE(ProduceRequest)
STRATA_KAFKA_SAMPLE(ProduceResponse)
STRATA_KAFKA_SAMPLE(FetchRequest)
STRATA_KAFKA_SAMPLE(FetchResponse)
STRATA_KAFKA_SAMPLE(ListOffsetsRequest)
STRATA_KAFKA_SAMPLE(ListOffsetsResponse)
STRATA_KAFKA_SAMPLE(OffsetCommitRequest)
STRATA_KAFKA_SAMPLE(OffsetCommitResponse)
STRATA_KAFKA_SAMPLE(OffsetFetchRequest)
STRATA_KAFKA_SAMPLE(OffsetFetchResponse)
STRATA_KAFKA_SAMPLE(FindCoordinatorRequest)
STRATA_KAFKA_SAMPLE(FindCoordinatorResponse)
STRATA_KAFKA_SAMPLE(JoinGroupRequest)
STRATA_KAFKA_SAMPLE(JoinGroupResponse)
STRATA_KAFKA_SAMPLE(HeartbeatRequest)
STRATA_KAFKA_SAMPLE(HeartbeatResponse)
STRATA_KAFKA_SAMPLE(LeaveGroupRequest)
STRATA_KAFKA_SAMPLE(LeaveGroupResponse)
STRATA_KAFKA_SAMPLE(SyncGroupRequest)
STRATA_KAFKA_SAMPLE(SyncGroupResponse)
STRATA_KAFKA_SAMPLE(DescribeGroupsRequest)
STRATA_KAFKA_SAMPLE(DescribeGroupsResponse)
STRATA_KAFKA_SAMPLE(ListGroupsRequest)
STRATA_KAFKA_SAMPLE(ListGroupsResponse)
STRATA_KAFKA_SAMPLE(CreateTopicsRequest)
STRATA_KAFKA_SAMPLE(CreateTopicsResponse)
STRATA_KAFKA_SAMPLE(DeleteTopicsRequest)
STRATA_KAFKA_SAMPLE(DeleteTopicsResponse)
STRATA_KAFKA_SAMPLE(InitProducerIdRequest)
STRATA_KAFKA_SAMPLE(InitProducerIdResponse)
STRATA_KAFKA_SAMPLE(DescribeConfigsRequest)
STRATA_KAFKA_SAMPLE(DescribeConfigsResponse)
STRATA_KAFKA_SAMPLE(CreatePartitionsRequest)
STRATA_KAFKA_SAMPLE(CreatePartitionsResponse)
STRATA_KAFKA_SAMPLE(DeleteGroupsRequest)
STRATA_KAFKA_SAMPLE(DeleteGroupsResponse)
STRATA_KAFKA_SAMPLE(SaslHandshakeRequest)
STRATA_KAFKA_SAMPLE(SaslHandshakeResponse)
STRATA_KAFKA_SAMPLE(SaslAuthenticateRequest)
STRATA_KAFKA_SAMPLE(SaslAuthenticateResponse)
STRATA_KAFKA_SAMPLE(DeleteRecordsRequest)
STRATA_KAFKA_SAMPLE(DeleteRecordsResponse)
STRATA_KAFKA_SAMPLE(OffsetForLeaderEpochRequest)
STRATA_KAFKA_SAMPLE(OffsetForLeaderEpochResponse)
#undef STRATA_KAFKA_SAMPLE

// A sample of the alternative of `Variant` for `key`.
template <typename Variant>
Variant sample_for(ApiKey key) {
  Variant v;
  bool found = detail::emplace_for_key(v, key);
  STRATA_CHECK(found, "no message type for the key");
  Counter c;
  std::visit([&](auto& m) { fill(c, m); }, v);
  return v;
}

}  // namespace strata::kafka::testing
