// DeleteRecords (key 21), v0-2: per partition, moves the log start offset
// up to the given offset (-1: the high watermark) on the partition's strand
// and answers the new log start as the low watermark. An offset above the
// high watermark is OFFSET_OUT_OF_RANGE, as in Kafka. Answers once every
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

void fail(DeleteRecordsResponse::Partition& out, const Status& st) {
  out.error_code = kafka_error_code(st, KafkaSubject::topic);
  out.low_watermark = -1;
}

}  // namespace

void handle_delete_records(HandlerContext& ctx, RequestContext request,
                           DeleteRecordsRequest body) {
  auto pending = std::make_shared<PendingDelete>();
  pending->request = std::move(request);
  // Shape the response first, so the strands only fill in their own slot.
  std::vector<std::pair<DeleteRecordsResponse::Partition*, std::shared_ptr<Partition>>> work;
  std::vector<std::int64_t> offsets;
  for (const DeleteRecordsRequest::Topic& topic : body.topics) {
    auto& out_topic = pending->response.topics.emplace_back();
    out_topic.name = topic.name;
    out_topic.partitions.reserve(topic.partitions.size());
  }
  for (std::size_t t = 0; t < body.topics.size(); ++t) {
    const DeleteRecordsRequest::Topic& topic = body.topics[t];
    auto& out_topic = pending->response.topics[t];
    auto found = ctx.topics.find_topic(topic.name);
    for (const DeleteRecordsRequest::Partition& p : topic.partitions) {
      auto& out = out_topic.partitions.emplace_back();
      out.partition_index = p.partition_index;
      Status st = found.status();
      if (st.ok()) {
        auto partition = (*found)->find_partition(p.partition_index);
        if (partition.ok()) {
          work.emplace_back(&out, *partition);
          offsets.push_back(p.offset);
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
  for (std::size_t i = 0; i < work.size(); ++i) {
    DeleteRecordsResponse::Partition* out = work[i].first;
    Offset before(offsets[i] < 0 ? -1 : offsets[i]);
    work[i].second->delete_records(before, [pending, out](Result<Offset> start) {
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
