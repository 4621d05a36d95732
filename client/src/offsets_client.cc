#include "client/src/offsets_client.h"

#include <memory>

#include "client/src/proto_convert.h"

namespace strata::client {

namespace {

v1::OffsetCommitRequest commit_request(const std::string& group_id,
                                       const std::map<TopicPartition, Offset>& offsets,
                                       const GroupIdentity& identity) {
  v1::OffsetCommitRequest request;
  request.set_group_id(group_id);
  request.set_generation_id(identity.generation_id);
  request.set_member_id(identity.member_id);
  for (const auto& [tp, offset] : offsets) {
    auto* entry = request.add_partitions();
    entry->mutable_topic_partition()->set_topic(tp.topic);
    entry->mutable_topic_partition()->set_partition(tp.partition.value());
    entry->set_offset(offset.value());
  }
  return request;
}

Status commit_outcome(const v1::OffsetCommitResponse& response) {
  STRATA_TRY(from_proto(response.error()));
  for (const auto& result : response.partitions()) STRATA_TRY(from_proto(result.error()));
  return Status();
}

v1::OffsetSpec to_proto(OffsetSpec spec) {
  switch (spec) {
    case OffsetSpec::earliest: return v1::OFFSET_SPEC_EARLIEST;
    case OffsetSpec::latest: return v1::OFFSET_SPEC_LATEST;
    case OffsetSpec::timestamp: return v1::OFFSET_SPEC_TIMESTAMP;
  }
  return v1::OFFSET_SPEC_UNSPECIFIED;
}

}  // namespace

Result<std::string> OffsetsClient::coordinator(const std::string& group_id, bool refresh) {
  if (!refresh) {
    std::lock_guard lock(mu_);
    auto it = coordinators_.find(group_id);
    return it != coordinators_.end() ? it->second : pool_.options().bootstrap;
  }
  Connection& connection = pool_.bootstrap();
  v1::FindCoordinatorRequest request;
  request.set_group_id(group_id);
  v1::FindCoordinatorResponse response;
  auto context = connection.unary_context();
  STRATA_TRY(connection.check(connection.groups().FindCoordinator(context.get(), request, &response)));
  STRATA_TRY(from_proto(response.error()));
  std::string address =
      broker_address(response.coordinator().host(), response.coordinator().port());
  std::lock_guard lock(mu_);
  coordinators_[group_id] = address;
  return address;
}

Status OffsetsClient::commit(const std::string& group_id,
                             const std::map<TopicPartition, Offset>& offsets,
                             const GroupIdentity& identity) {
  if (offsets.empty()) return Status();
  const auto request = commit_request(group_id, offsets, identity);
  for (int attempt = 0; attempt < 2; ++attempt) {
    STRATA_TRY_ASSIGN(auto address, coordinator(group_id, attempt > 0));
    Connection& connection = pool_.get(address);
    v1::OffsetCommitResponse response;
    auto context = connection.unary_context();
    STRATA_TRY(connection.check(connection.offsets().OffsetCommit(context.get(), request, &response)));
    if (response.error().code() == v1::NOT_COORDINATOR && attempt == 0) continue;
    return commit_outcome(response);
  }
  return Status(ErrorCode::not_leader, group_id + ": coordinator moved twice");
}

void OffsetsClient::commit_async(const std::string& group_id,
                                 const std::map<TopicPartition, Offset>& offsets,
                                 CommitCallback callback, const GroupIdentity& identity) {
  if (offsets.empty()) {
    if (callback) callback(Status());
    return;
  }
  auto coordinator_address = coordinator(group_id, false);
  Connection& connection = pool_.get(coordinator_address.value());
  struct Call {
    std::unique_ptr<grpc::ClientContext> context;
    v1::OffsetCommitRequest request;
    v1::OffsetCommitResponse response;
  };
  auto call = std::make_shared<Call>();
  call->context = connection.unary_context();
  call->request = commit_request(group_id, offsets, identity);
  {
    std::lock_guard lock(mu_);
    ++async_in_flight_;
  }
  connection.offsets().async()->OffsetCommit(
      call->context.get(), &call->request, &call->response,
      [this, call, &connection, callback = std::move(callback)](grpc::Status status) {
        Status outcome = connection.check(status);
        if (outcome.ok()) outcome = commit_outcome(call->response);
        if (callback) callback(outcome);
        std::lock_guard lock(mu_);
        --async_in_flight_;
        idle_cv_.notify_all();
      });
}

void OffsetsClient::wait_async_idle() {
  std::unique_lock lock(mu_);
  idle_cv_.wait(lock, [&] { return async_in_flight_ == 0; });
}

Result<std::map<TopicPartition, CommittedPosition>> OffsetsClient::fetch(
    const std::string& group_id, const std::vector<TopicPartition>& partitions) {
  v1::OffsetFetchRequest request;
  request.set_group_id(group_id);
  for (const auto& tp : partitions) {
    auto* entry = request.add_partitions();
    entry->set_topic(tp.topic);
    entry->set_partition(tp.partition.value());
  }
  for (int attempt = 0; attempt < 2; ++attempt) {
    STRATA_TRY_ASSIGN(auto address, coordinator(group_id, attempt > 0));
    Connection& connection = pool_.get(address);
    v1::OffsetFetchResponse response;
    auto context = connection.unary_context();
    STRATA_TRY(connection.check(connection.offsets().OffsetFetch(context.get(), request, &response)));
    if (response.error().code() == v1::NOT_COORDINATOR && attempt == 0) continue;
    STRATA_TRY(from_proto(response.error()));
    std::map<TopicPartition, CommittedPosition> out;
    for (const auto& entry : response.partitions()) {
      STRATA_TRY(from_proto(entry.error()));
      TopicPartition tp{entry.topic_partition().topic(),
                        PartitionId(entry.topic_partition().partition())};
      out[tp] = CommittedPosition{Offset(entry.offset()), entry.metadata()};
    }
    return out;
  }
  return Status(ErrorCode::not_leader, group_id + ": coordinator moved twice");
}

Result<std::vector<ListedOffset>> OffsetsClient::list_offsets(
    const std::string& topic, const std::vector<std::int32_t>& partitions, OffsetSpec spec,
    std::int64_t timestamp_ms) {
  std::map<std::string, v1::ListOffsetsRequest> by_leader;
  for (std::int32_t partition : partitions) {
    auto& request = by_leader[metadata_.leader_address(topic, partition)];
    request.set_topic(topic);
    auto* entry = request.add_partitions();
    entry->set_partition(partition);
    entry->set_spec(to_proto(spec));
    entry->set_timestamp_ms(timestamp_ms);
  }
  std::map<std::int32_t, ListedOffset> found;
  for (const auto& [address, request] : by_leader) {
    Connection& connection = pool_.get(address);
    v1::ListOffsetsResponse response;
    auto context = connection.unary_context();
    STRATA_TRY(connection.check(connection.fetch().ListOffsets(context.get(), request, &response)));
    for (const auto& entry : response.partitions()) {
      ListedOffset listed;
      listed.partition = PartitionId(entry.partition());
      listed.offset = Offset(entry.offset());
      listed.timestamp_ms = entry.timestamp_ms();
      listed.error = from_proto(entry.header().error());
      if (!listed.error.ok() && is_retriable(entry.header().error().code())) {
        metadata_.invalidate(topic);
      }
      found[entry.partition()] = std::move(listed);
    }
  }
  std::vector<ListedOffset> out;
  for (std::int32_t partition : partitions) {
    auto it = found.find(partition);
    if (it == found.end()) {
      ListedOffset missing;
      missing.partition = PartitionId(partition);
      missing.error = internal_error(topic + "-" + std::to_string(partition) +
                                     ": ListOffsets answered without this partition");
      out.push_back(std::move(missing));
    } else {
      out.push_back(std::move(it->second));
    }
  }
  return out;
}

}  // namespace strata::client
