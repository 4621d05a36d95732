#include "broker/native/offsets_service.h"

#include <algorithm>

#include "broker/group/group_coordinator.h"
#include "broker/group/offsets_store.h"
#include "broker/native/error_mapping.h"
#include "broker/topic_manager.h"

namespace strata::broker::native {
namespace {

// Finishes a unary call that completes asynchronously, recording its latency.
std::function<void()> finisher(ServiceContext& ctx, grpc::ServerUnaryReactor* reactor,
                               std::string_view api) {
  const auto start = std::chrono::steady_clock::now();
  return [&ctx, reactor, api, start] {
    ctx.probe.observe_request(
        api, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    reactor->Finish(grpc::Status::OK);
  };
}

Result<std::shared_ptr<Partition>> find_partition(TopicManager& topics, const std::string& topic,
                                                  std::int32_t partition, ErrorSubject* subject) {
  *subject = ErrorSubject::topic;
  STRATA_TRY_ASSIGN(std::shared_ptr<const Topic> t, topics.find_topic(topic));
  *subject = ErrorSubject::partition;
  return t->find_partition(partition);
}

}  // namespace

grpc::ServerUnaryReactor* OffsetsService::OffsetCommit(grpc::CallbackServerContext* call,
                                                       const v1::OffsetCommitRequest* request,
                                                       v1::OffsetCommitResponse* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  auto finish = finisher(ctx_, reactor, "OffsetCommit");
  asio::post(ctx_.pool, [this, request, response, finish] {
    Status valid = validate_group_id(request->group_id());
    if (!valid.ok()) {
      *response->mutable_error() = to_proto_error(valid, ErrorSubject::group);
      return finish();
    }
    std::vector<OffsetEntry> entries;
    for (const v1::OffsetCommitPartition& p : request->partitions()) {
      v1::OffsetCommitResult* result = response->add_partitions();
      *result->mutable_topic_partition() = p.topic_partition();
      ErrorSubject subject;
      auto partition = find_partition(ctx_.topics, p.topic_partition().topic(),
                                      p.topic_partition().partition(), &subject);
      Status st = partition.status();
      if (st.ok() && p.offset() < 0) {
        st = invalid_argument_error("offset " + std::to_string(p.offset()) + " is negative");
        subject = ErrorSubject::none;
      } else if (st.ok() && p.metadata().size() > kMaxOffsetMetadataBytes) {
        st = too_large_error("metadata of " + std::to_string(p.metadata().size()) +
                             " bytes is over " + std::to_string(kMaxOffsetMetadataBytes));
        subject = ErrorSubject::offset_metadata;
      }
      if (!st.ok()) {
        *result->mutable_error() = to_proto_error(st, subject);
        continue;
      }
      entries.push_back({(*partition)->topic_partition(),
                         CommittedOffset{p.offset(), -1, p.metadata()}});
    }
    // Checked against the member and generation even when every partition
    // failed, so a fenced member learns it.
    OffsetCommitParams params{request->group_id(), request->generation_id(), request->member_id(),
                              std::move(entries)};
    ctx_.groups.commit_offsets(std::move(params), [response, finish](GroupStatus st) {
      if (st.error == GroupError::coordinator_not_available) {
        // The append failed: every partition that was going in failed with it.
        for (v1::OffsetCommitResult& r : *response->mutable_partitions()) {
          if (r.error().code() == v1::NONE) *r.mutable_error() = to_proto_error(st);
        }
      } else if (!st.ok()) {
        // Refused for the group as a whole: nothing was stored.
        response->clear_partitions();
        *response->mutable_error() = to_proto_error(st);
      }
      finish();
    });
  });
  return reactor;
}

grpc::ServerUnaryReactor* OffsetsService::OffsetFetch(grpc::CallbackServerContext* call,
                                                      const v1::OffsetFetchRequest* request,
                                                      v1::OffsetFetchResponse* response) {
  return run_unary(call, ctx_, "OffsetFetch", ctx_.pool.get_executor(), [this, request, response] {
    Status valid = validate_group_id(request->group_id());
    if (!valid.ok()) {
      *response->mutable_error() = to_proto_error(valid, ErrorSubject::group);
      return;
    }
    if (request->partitions().empty()) {
      auto all = ctx_.offsets.fetch_all(request->group_id());
      if (!all.ok()) {
        *response->mutable_error() = to_proto_error(all.status());
        return;
      }
      for (const auto& [tp, committed] : *all) {
        v1::CommittedOffset* out = response->add_partitions();
        out->mutable_topic_partition()->set_topic(tp.topic);
        out->mutable_topic_partition()->set_partition(tp.partition.value());
        out->set_offset(committed.offset);
        out->set_metadata(committed.metadata);
        out->set_commit_time_ms(committed.commit_time_ms);
      }
      return;
    }
    for (const v1::TopicPartition& tp : request->partitions()) {
      v1::CommittedOffset* out = response->add_partitions();
      *out->mutable_topic_partition() = tp;
      out->set_offset(-1);
      out->set_commit_time_ms(-1);
      ErrorSubject subject;
      auto partition = find_partition(ctx_.topics, tp.topic(), tp.partition(), &subject);
      if (!partition.ok()) {
        *out->mutable_error() = to_proto_error(partition.status(), subject);
        continue;
      }
      auto committed = ctx_.offsets.fetch(request->group_id(), (*partition)->topic_partition());
      if (!committed.ok()) {
        *out->mutable_error() = to_proto_error(committed.status());
      } else if (*committed) {
        out->set_offset((*committed)->offset);
        out->set_metadata((*committed)->metadata);
        out->set_commit_time_ms((*committed)->commit_time_ms);
      }
    }
  });
}

grpc::ServerUnaryReactor* OffsetsService::ResetOffsets(grpc::CallbackServerContext* call,
                                                       const v1::ResetOffsetsRequest* request,
                                                       v1::ResetOffsetsResponse* response) {
  grpc::ServerUnaryReactor* reactor = call->DefaultReactor();
  auto finish = finisher(ctx_, reactor, "ResetOffsets");
  asio::post(ctx_.pool, [this, request, response, finish] {
    Status valid = validate_group_id(request->group_id());
    if (!valid.ok()) {
      *response->mutable_error() = to_proto_error(valid, ErrorSubject::group);
      return finish();
    }
    GroupDescription group = ctx_.groups.describe(request->group_id());
    if (group.status.ok() && group.state != GroupState::empty) {
      *response->mutable_error() =
          to_proto_error(GroupStatus{GroupError::non_empty_group,
                                     "group " + request->group_id() + " has members"});
      return finish();
    }
    auto topic = ctx_.topics.find_topic(request->topic());
    if (!topic.ok()) {
      *response->mutable_error() = to_proto_error(topic.status(), ErrorSubject::topic);
      return finish();
    }
    if (request->target_case() == v1::ResetOffsetsRequest::TARGET_NOT_SET ||
        (request->target_case() == v1::ResetOffsetsRequest::kToSpec &&
         request->to_spec() != v1::OFFSET_SPEC_EARLIEST && request->to_spec() != v1::OFFSET_SPEC_LATEST)) {
      *response->mutable_error() =
          to_proto_error(invalid_argument_error("ResetOffsets needs a target: earliest, latest, "
                                                "a timestamp or an offset"));
      return finish();
    }
    std::vector<std::int32_t> numbers(request->partitions().begin(), request->partitions().end());
    if (numbers.empty()) {
      for (std::size_t i = 0; i < (*topic)->partitions.size(); ++i) {
        numbers.push_back(static_cast<std::int32_t>(i));
      }
    }
    std::sort(numbers.begin(), numbers.end());
    std::vector<OffsetEntry> entries;
    for (std::int32_t number : numbers) {
      v1::ResetOffsetResult* result = response->add_partitions();
      result->set_partition(number);
      result->set_previous_offset(-1);
      result->set_new_offset(-1);
      ErrorSubject subject;
      auto partition = find_partition(ctx_.topics, request->topic(), number, &subject);
      if (!partition.ok()) {
        *result->mutable_error() = to_proto_error(partition.status(), subject);
        continue;
      }
      const Partition& p = **partition;
      auto previous = ctx_.offsets.fetch(request->group_id(), p.topic_partition());
      if (previous.ok() && *previous) result->set_previous_offset((*previous)->offset);
      std::int64_t target = -1;
      switch (request->target_case()) {
        case v1::ResetOffsetsRequest::kToSpec:
          target = request->to_spec() == v1::OFFSET_SPEC_EARLIEST ? p.log_start_offset().value()
                                                                  : p.high_watermark().value();
          break;
        case v1::ResetOffsetsRequest::kToTimestampMs: {
          auto found = p.offset_for_timestamp(request->to_timestamp_ms());
          if (!found.ok()) {
            *result->mutable_error() = to_proto_error(found.status(), ErrorSubject::partition);
            continue;
          }
          target = *found ? std::min((*found)->offset, p.high_watermark()).value()
                          : p.high_watermark().value();
          break;
        }
        case v1::ResetOffsetsRequest::kToOffset:
          target = request->to_offset();
          if (target < p.log_start_offset().value() || target > p.high_watermark().value()) {
            *result->mutable_error() = to_proto_error(out_of_range_error(
                p.name() + ": offset " + std::to_string(target) + " is outside [" +
                std::to_string(p.log_start_offset().value()) + ", " +
                std::to_string(p.high_watermark().value()) + "]"));
            continue;
          }
          break;
        case v1::ResetOffsetsRequest::TARGET_NOT_SET:
          break;
      }
      result->set_new_offset(target);
      entries.push_back({p.topic_partition(), CommittedOffset{target, -1, ""}});
    }
    if (entries.empty() || request->dry_run()) return finish();
    ctx_.groups.reset_offsets(request->group_id(), std::move(entries), [response, finish](GroupStatus st) {
      if (st.error == GroupError::non_empty_group) {
        response->clear_partitions();
        *response->mutable_error() = to_proto_error(st);
      } else if (!st.ok()) {
        for (v1::ResetOffsetResult& r : *response->mutable_partitions()) {
          if (r.error().code() == v1::NONE) {
            *r.mutable_error() = to_proto_error(st);
            r.set_new_offset(-1);
          }
        }
      }
      finish();
    });
  });
  return reactor;
}

}  // namespace strata::broker::native
