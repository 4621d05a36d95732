#include "broker/kafka/handlers/registry.h"

#include <chrono>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include <asio/post.hpp>

#include "broker/broker_probe.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/kafka/protocol/api_versions_table.h"
#include "broker/logger.h"

namespace strata::broker::kafka {
namespace {

using namespace ::strata::kafka;

// The handler of each request type: the one place that lists them.
void run(HandlerContext& ctx, RequestContext request, RequestBody body) {
  std::visit(
      [&](auto&& b) {
        using T = std::decay_t<decltype(b)>;
        if constexpr (std::is_same_v<T, ApiVersionsRequest>) {
          handle_api_versions(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, MetadataRequest>) {
          handle_metadata(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, ProduceRequest>) {
          handle_produce(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, FetchRequest>) {
          handle_fetch(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, ListOffsetsRequest>) {
          handle_list_offsets(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, CreateTopicsRequest>) {
          handle_create_topics(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, DeleteTopicsRequest>) {
          handle_delete_topics(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, DeleteRecordsRequest>) {
          handle_delete_records(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, CreatePartitionsRequest>) {
          handle_create_partitions(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, DescribeConfigsRequest>) {
          handle_describe_configs(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, FindCoordinatorRequest>) {
          handle_find_coordinator(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, InitProducerIdRequest>) {
          handle_init_producer_id(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, SaslHandshakeRequest>) {
          handle_sasl_handshake(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, SaslAuthenticateRequest>) {
          handle_sasl_authenticate(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, OffsetForLeaderEpochRequest>) {
          handle_offset_for_leader_epoch(ctx, std::move(request), std::move(b));
        } else if (ctx.groups == nullptr) {
          logger()->debug("kafka: {} v{}: no group coordinator; closing the connection",
                          api_name(request.header.api_key), request.header.api_version);
          request.reply(Reply{{}, false, true});
        } else if constexpr (std::is_same_v<T, JoinGroupRequest>) {
          handle_join_group(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, SyncGroupRequest>) {
          handle_sync_group(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, HeartbeatRequest>) {
          handle_heartbeat(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, LeaveGroupRequest>) {
          handle_leave_group(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, OffsetCommitRequest>) {
          handle_offset_commit(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, OffsetFetchRequest>) {
          handle_offset_fetch(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, DescribeGroupsRequest>) {
          handle_describe_groups(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, ListGroupsRequest>) {
          handle_list_groups(ctx, std::move(request), std::move(b));
        } else if constexpr (std::is_same_v<T, DeleteGroupsRequest>) {
          handle_delete_groups(ctx, std::move(request), std::move(b));
        } else {
          static_assert(sizeof(T) == 0, "every request type needs a handler");
        }
      },
      body);
}

}  // namespace

void dispatch(HandlerContext& ctx, const asio::any_io_executor& where, RequestContext request,
              RequestBody body) {
  // Counted per API once the answer is ready (acks=0 produce included),
  // however long the handler took and on whichever thread it finished.
  const ApiVersionRange* row = find_api(request.header.api_key);
  const std::string_view api = row != nullptr ? row->name : std::string_view("other");
  request.reply = [&probe = ctx.probe, api, start = std::chrono::steady_clock::now(),
                   reply = std::move(request.reply)](Reply answer) {
    probe.observe_request(
        api, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        BrokerProbe::Protocol::kafka);
    reply(std::move(answer));
  };
  asio::post(where, [&ctx, request = std::move(request), body = std::move(body)]() mutable {
    run(ctx, std::move(request), std::move(body));
  });
}

}  // namespace strata::broker::kafka
