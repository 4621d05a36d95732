// OffsetFetch (key 9), v1-7: committed offsets of the named partitions
// (-1 where nothing is committed), or of every partition (null topics, v2+).
#include <map>

#include "broker/group/group_coordinator.h"
#include "broker/kafka/handlers/group_helpers.h"
#include "broker/kafka/handlers/handlers.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

void handle_offset_fetch(HandlerContext& ctx, RequestContext request, OffsetFetchRequest body) {
  std::optional<std::vector<TopicPartition>> wanted;
  if (body.topics) {
    wanted.emplace();
    for (const auto& t : *body.topics) {
      for (std::int32_t p : t.partition_indexes) wanted->push_back({t.name, PartitionId(p)});
    }
  }
  const std::string group = body.group_id;
  ctx.groups->fetch_offsets(
      group, wanted,
      [request = std::move(request), body = std::move(body)](
          GroupStatus status, std::vector<std::pair<TopicPartition, CommittedOffset>> found) {
        std::map<TopicPartition, CommittedOffset> by_partition(found.begin(), found.end());
        OffsetFetchResponse response;
        const std::int16_t code = kafka_code(status.error);
        response.error_code = code;
        auto fill = [&](const TopicPartition& tp, OffsetFetchResponse::Topic& out) {
          auto& p = out.partitions.emplace_back();
          p.partition_index = tp.partition.value();
          p.metadata = "";
          p.error_code = request.header.api_version < 2 ? code : 0;
          auto it = by_partition.find(tp);
          if (it != by_partition.end()) {
            p.committed_offset = it->second.offset;
            p.metadata = it->second.metadata;
          }
        };
        if (body.topics) {
          for (const auto& t : *body.topics) {
            auto& out = response.topics.emplace_back();
            out.name = t.name;
            for (std::int32_t p : t.partition_indexes) fill({t.name, PartitionId(p)}, out);
          }
        } else {
          for (const auto& [tp, offset] : by_partition) {
            if (response.topics.empty() || response.topics.back().name != tp.topic) {
              response.topics.emplace_back().name = tp.topic;
            }
            fill(tp, response.topics.back());
          }
        }
        send_response(request, response);
      });
}

}  // namespace strata::broker::kafka
