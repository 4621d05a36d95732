// OffsetCommit (key 8), v1-7: partitions are checked here (known topic and
// partition, metadata size); the rest go to the coordinator, which checks
// member and generation and answers once the offsets are durable.
#include <chrono>
#include <memory>

#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_offset_commit(HandlerContext& ctx, RequestContext request, OffsetCommitRequest body) {
  OffsetCommitResponse response;
  OffsetCommitParams params;
  params.group_id = body.group_id;
  params.generation_id = body.generation_id_or_member_epoch;
  params.member_id = body.member_id;
  const std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
  // Slots of the partitions sent to the coordinator: (topic index, partition index).
  std::vector<std::pair<std::size_t, std::size_t>> pending;
  for (const auto& topic : body.topics) {
    auto& out = response.topics.emplace_back();
    out.name = topic.name;
    auto found = ctx.topics.find_topic(topic.name);
    for (const auto& p : topic.partitions) {
      auto& slot = out.partitions.emplace_back();
      slot.partition_index = p.partition_index;
      if (!found.ok() || p.partition_index < 0 ||
          static_cast<std::size_t>(p.partition_index) >= (*found)->partitions.size()) {
        slot.error_code = kafka_code(GroupError::unknown_topic_or_partition);
        continue;
      }
      const std::string metadata = p.committed_metadata.value_or("");
      if (metadata.size() > kMaxOffsetMetadataBytes) {
        slot.error_code = kafka_code(GroupError::offset_metadata_too_large);
        continue;
      }
      const std::int64_t at = p.commit_timestamp >= 0 ? p.commit_timestamp : now_ms;
      params.entries.push_back(
          {TopicPartition{topic.name, PartitionId(p.partition_index)},
           CommittedOffset{p.committed_offset, at, metadata}});
      pending.emplace_back(response.topics.size() - 1, out.partitions.size() - 1);
    }
  }
  if (pending.empty()) return send_response(request, response);
  ctx.groups->commit_offsets(
      std::move(params), [request = std::move(request), response = std::move(response),
                          pending = std::move(pending)](GroupStatus status) mutable {
        for (const auto& [t, p] : pending) {
          response.topics[t].partitions[p].error_code = kafka_code(status.error);
        }
        send_response(request, response);
      });
}

}  // namespace strata::broker::kafka
