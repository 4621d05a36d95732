// ListOffsets (key 2), v1-5: per partition the offset for a timestamp:
// -2 = log start, -1 = high watermark (= last stable offset), else the first
// record whose timestamp is at or after it (-1 when none). v4+: the client's
// current leader epoch is checked (FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH)
// and the answer carries the leader epoch the offset was written under (-1
// when unknown, as for an empty partition).
#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

namespace {

constexpr std::int64_t kEarliest = -2;
constexpr std::int64_t kLatest = -1;

Status find_offset(const Partition& p, std::int64_t timestamp,
                   ListOffsetsResponse::Topic::Partition& out) {
  if (timestamp == kEarliest) {
    out.offset = p.log_start_offset().value();
    return Status();
  }
  if (timestamp == kLatest) {
    out.offset = p.high_watermark().value();
    return Status();
  }
  if (timestamp < 0) return invalid_argument_error("timestamp " + std::to_string(timestamp));
  STRATA_TRY_ASSIGN(auto found, p.offset_for_timestamp(timestamp));
  // Only what consumers may see: an offset at or past the high watermark is "none".
  if (found && found->offset < p.high_watermark()) {
    out.timestamp = found->timestamp;
    out.offset = found->offset.value();
  }
  return Status();
}

Status lookup(const Partition& p, const ListOffsetsRequest::Topic::Partition& asked,
              ListOffsetsResponse::Topic::Partition& out) {
  STRATA_TRY(find_offset(p, asked.timestamp, out));
  if (out.offset >= 0) {
    out.leader_epoch = p.epoch_for_offset(Offset(out.offset)).value_or(LeaderEpoch(-1)).value();
  }
  return Status();
}

}  // namespace

void handle_list_offsets(HandlerContext& ctx, RequestContext request, ListOffsetsRequest body) {
  ListOffsetsResponse response;
  for (const ListOffsetsRequest::Topic& topic : body.topics) {
    ListOffsetsResponse::Topic& out_topic = response.topics.emplace_back();
    out_topic.name = topic.name;
    auto found = ctx.topics.find_topic(topic.name);
    for (const ListOffsetsRequest::Topic::Partition& p : topic.partitions) {
      ListOffsetsResponse::Topic::Partition& out = out_topic.partitions.emplace_back();
      out.partition_index = p.partition_index;
      Status st = found.status();
      KafkaSubject subject = KafkaSubject::topic;
      if (st.ok()) {
        auto partition = (*found)->find_partition(p.partition_index);
        st = partition.status();
        if (st.ok()) {
          st = (*partition)->check_leader_epoch(LeaderEpoch(p.current_leader_epoch));
          if (!st.ok()) subject = KafkaSubject::leader_epoch;
        }
        if (st.ok()) st = lookup(**partition, p, out);
      }
      if (!st.ok()) {
        out.error_code = kafka_error_code(st, subject);
        out.offset = -1;
        out.timestamp = -1;
        out.leader_epoch = -1;
      }
    }
  }
  send_response(request, response);
}

}  // namespace strata::broker::kafka
