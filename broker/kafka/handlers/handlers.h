#pragma once

// One function per Kafka API (handlers/<api>.cc), called by the registry on
// a pool thread with a decoded request at a served version. Each answers
// exactly once through request.reply, from whichever thread finishes the
// work; none blocks the calling thread on another request.

#include "broker/kafka/handlers/handler_context.h"
#include "broker/kafka/protocol/error_code.h"
#include "broker/kafka/protocol/messages.h"

namespace strata::broker::kafka {

void handle_api_versions(HandlerContext& ctx, RequestContext request,
                         strata::kafka::ApiVersionsRequest body);
void handle_metadata(HandlerContext& ctx, RequestContext request,
                     strata::kafka::MetadataRequest body);
void handle_produce(HandlerContext& ctx, RequestContext request,
                    strata::kafka::ProduceRequest body);
void handle_fetch(HandlerContext& ctx, RequestContext request, strata::kafka::FetchRequest body);
void handle_list_offsets(HandlerContext& ctx, RequestContext request,
                         strata::kafka::ListOffsetsRequest body);
void handle_create_topics(HandlerContext& ctx, RequestContext request,
                          strata::kafka::CreateTopicsRequest body);
void handle_delete_topics(HandlerContext& ctx, RequestContext request,
                          strata::kafka::DeleteTopicsRequest body);
void handle_delete_records(HandlerContext& ctx, RequestContext request,
                           strata::kafka::DeleteRecordsRequest body);
void handle_create_partitions(HandlerContext& ctx, RequestContext request,
                              strata::kafka::CreatePartitionsRequest body);
void handle_describe_configs(HandlerContext& ctx, RequestContext request,
                             strata::kafka::DescribeConfigsRequest body);
void handle_find_coordinator(HandlerContext& ctx, RequestContext request,
                             strata::kafka::FindCoordinatorRequest body);
void handle_init_producer_id(HandlerContext& ctx, RequestContext request,
                             strata::kafka::InitProducerIdRequest body);
void handle_offset_for_leader_epoch(HandlerContext& ctx, RequestContext request,
                                    strata::kafka::OffsetForLeaderEpochRequest body);

// The group APIs, through ctx.groups (non-null).
void handle_join_group(HandlerContext& ctx, RequestContext request,
                       strata::kafka::JoinGroupRequest body);
void handle_sync_group(HandlerContext& ctx, RequestContext request,
                       strata::kafka::SyncGroupRequest body);
void handle_heartbeat(HandlerContext& ctx, RequestContext request,
                      strata::kafka::HeartbeatRequest body);
void handle_leave_group(HandlerContext& ctx, RequestContext request,
                        strata::kafka::LeaveGroupRequest body);
void handle_offset_commit(HandlerContext& ctx, RequestContext request,
                          strata::kafka::OffsetCommitRequest body);
void handle_offset_fetch(HandlerContext& ctx, RequestContext request,
                         strata::kafka::OffsetFetchRequest body);
void handle_describe_groups(HandlerContext& ctx, RequestContext request,
                            strata::kafka::DescribeGroupsRequest body);
void handle_list_groups(HandlerContext& ctx, RequestContext request,
                        strata::kafka::ListGroupsRequest body);
void handle_delete_groups(HandlerContext& ctx, RequestContext request,
                          strata::kafka::DeleteGroupsRequest body);
void handle_sasl_handshake(HandlerContext& ctx, RequestContext request,
                           strata::kafka::SaslHandshakeRequest body);
void handle_sasl_authenticate(HandlerContext& ctx, RequestContext request,
                              strata::kafka::SaslAuthenticateRequest body);

}  // namespace strata::broker::kafka
