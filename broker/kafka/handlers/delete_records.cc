// DeleteRecords (key 21), v0-2: per partition, moves the log start offset
// up to the given offset (-1: the high watermark) on the partition's strand
// and answers the new log start as the low watermark. An offset above the
// high watermark is OFFSET_OUT_OF_RANGE and a compact-only topic
// POLICY_VIOLATION, as in Kafka. Answers once every
// partition has finished, in request order (the connection's sequencer
// keeps the order across requests).
#include <memory>
#include <mutex>

#include "broker/kafka/error_mapping.h"
#include "broker/kafka/handlers/handlers.h"
#include "broker/topic_manager.h"

namespace strata::broker::kafka {

using namespace ::strata::kafka;

namespace {

// The response being filled in by the partitions' strands; the last one to
// finish sends it.
struct PendingDelete {
  RequestContext request;
  DeleteRecordsResponse response;
  std::mutex mu;
  std::size_t outstanding = 0;  // guarded by mu

  void finish_one() {
    {
      std::lock_guard lock(mu);
      if (--outstanding > 0) return;
    }
    send_response(request, response);
  }
};

void fail(DeleteRecordsResponse::Partition& out, const Status& st,
          KafkaSubject subject = KafkaSubject::topic) {
  out.error_code = kafka_error_code(st, subject);
  out.low_watermark = -1;
}

}  // namespace

void handle_delete_records(HandlerContext& ctx, RequestContext request,
                           DeleteRecordsRequest body) {
  auto pending = std::make_shared<PendingDelete>();
  pending->request = std::move(request);
  // Shape the response first, so the strands only fill in their own slot.
  struct Slot {
    DeleteRecordsResponse::Partition* out;
    std::shared_ptr<Partition> partition;
    std::int64_t offset;
  };
  std::vector<Slot> work;
  for (const DeleteRecordsRequest::Topic& topic : body.topics) {
    auto& out_topic = pending->response.topics.emplace_back();
    out_topic.name = topic.name;
    // Reserved: the slots' addresses must not move (moving the outer
    // vector keeps each inner buffer where it is).
    out_topic.partitions.reserve(topic.partitions.size());
    auto found = ctx.topics.find_topic(topic.name);
    // Kafka: the records of a compact-only topic cannot be deleted.
    const bool allowed = !found.ok() || (*found)->config.allows_deletion();
    for (const DeleteRecordsRequest::Partition& p : topic.partitions) {
      auto& out = out_topic.partitions.emplace_back();
      out.partition_index = p.partition_index;
      Status st = found.status();
      if (st.ok() && !allowed) {
        fail(out, unsupported_error(topic.name + ": cleanup.policy=compact, records cannot be "
                                    "deleted"),
             KafkaSubject::record_deletion);
        continue;
      }
      if (st.ok()) {
        auto partition = (*found)->find_partition(p.partition_index);
        if (partition.ok()) {
          work.push_back({&out, *partition, p.offset});
          continue;
        }
        st = partition.status();
      }
      fail(out, st);
    }
  }
  if (work.empty()) {
    send_response(pending->request, pending->response);
    return;
  }
  pending->outstanding = work.size();
  for (Slot& slot : work) {
    // -1 is the high watermark; any other negative offset is out of range.
    slot.partition->delete_records(Offset(slot.offset), [pending, out = slot.out](
                                                            Result<Offset> start) {
      {
        std::lock_guard lock(pending->mu);
        if (start.ok()) {
          out->low_watermark = start->value();
        } else {
          fail(*out, start.status());
        }
      }
      pending->finish_one();
    });
  }
}

}  // namespace strata::broker::kafka
