// OffsetForLeaderEpoch (key 23), v0-4: per partition, where the asked leader
// epoch ends in the replica's log (Partition::end_offset_for_epoch, Kafka's
// semantics: the largest epoch <= the asked one and the start of the next,
// the log end for the current epoch, -1/-1 when unknown), after checking the
// client's current leader epoch (v2+: FENCED_LEADER_EPOCH when older,
// UNKNOWN_LEADER_EPOCH when newer). Only the leader answers
// (NOT_LEADER_OR_FOLLOWER otherwise).
#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/logger.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

namespace {

using PartitionAnswer = OffsetForLeaderEpochResponse::Topic::Partition;

void answer_partition(const Partition& p, std::int32_t leader_epoch, PartitionAnswer& out) {
  const storage::EpochEndOffset end = p.end_offset_for_epoch(LeaderEpoch(leader_epoch));
  out.leader_epoch = end.epoch.value();
  out.end_offset = end.end_offset.value();
}

}  // namespace

void handle_offset_for_leader_epoch(HandlerContext& ctx, RequestContext request,
                                    OffsetForLeaderEpochRequest body) {
  OffsetForLeaderEpochResponse response;
  for (const OffsetForLeaderEpochRequest::Topic& topic : body.topics) {
    OffsetForLeaderEpochResponse::Topic& out_topic = response.topics.emplace_back();
    out_topic.topic = topic.topic;
    auto found = ctx.topics.find_topic(topic.topic);
    for (const auto& asked : topic.partitions) {
      PartitionAnswer& out = out_topic.partitions.emplace_back();
      out.partition = asked.partition;
      Status st = found.status();
      KafkaSubject subject = KafkaSubject::topic;
      if (st.ok()) {
        auto partition = (*found)->find_partition(asked.partition);
        st = partition.status();
        if (st.ok()) {
          st = (*partition)->check_leader_epoch(LeaderEpoch(asked.current_leader_epoch));
          subject = KafkaSubject::leader_epoch;
        }
        if (st.ok()) answer_partition(**partition, asked.leader_epoch, out);
      }
      if (!st.ok()) {
        logger()->debug("kafka offset_for_leader_epoch {}-{}: {}", topic.topic, asked.partition,
                        st.to_string());
        out.error_code = kafka_error_code(st, subject);
        out.leader_epoch = -1;
        out.end_offset = -1;
      }
    }
  }
  send_response(request, response);
}

}  // namespace strata::broker::kafka
