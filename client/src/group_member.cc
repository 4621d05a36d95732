#include "client/src/group_member.h"

#include <algorithm>
#include <set>

#include "client/src/proto_convert.h"

namespace strata::client {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kRetryBackoff{200};

}  // namespace

// One JoinGroup or SyncGroup in flight; shared with its gRPC callback.
struct GroupMember::Call {
  std::unique_ptr<grpc::ClientContext> context;
  bool is_join = true;
  v1::JoinGroupRequest join_request;
  v1::JoinGroupResponse join_response;
  v1::SyncGroupRequest sync_request;
  v1::SyncGroupResponse sync_response;
  grpc::Status status;
  Connection* connection = nullptr;
};

GroupMember::GroupMember(ConnectionPool& pool, MetadataCache& metadata, OffsetsClient& offsets,
                         Options options)
    : pool_(pool), metadata_(metadata), offsets_(offsets), options_(std::move(options)) {
  heartbeat_ = std::thread([this] { run_heartbeats(); });
}

GroupMember::~GroupMember() {
  std::unique_lock lock(mu_);
  stopping_ = true;
  heartbeat_cv_.notify_all();
  if (call_ && !call_done_) call_->context->TryCancel();
  // The callback touches mu_ and cv_: wait for it.
  cv_.wait(lock, [this] { return !call_ || call_done_; });
  lock.unlock();
  if (heartbeat_.joinable()) heartbeat_.join();
}

Connection& GroupMember::coordinator_connection() {
  bool refresh = false;
  {
    std::lock_guard lock(mu_);
    refresh = coordinator_stale_;
    coordinator_stale_ = false;
  }
  auto address = offsets_.coordinator(options_.group_id, refresh);
  return address.ok() ? pool_.get(*address) : pool_.bootstrap();
}

void GroupMember::send_join() {
  auto call = std::make_shared<Call>();
  call->is_join = true;
  call->connection = &coordinator_connection();
  call->context = call->connection->unary_context(
      std::chrono::milliseconds(options_.rebalance_timeout_ms) +
      std::chrono::milliseconds(pool_.options().request_timeout_ms));
  v1::JoinGroupRequest& r = call->join_request;
  r.set_group_id(options_.group_id);
  r.set_client_id(options_.client_id);
  r.set_session_timeout_ms(options_.session_timeout_ms);
  r.set_rebalance_timeout_ms(options_.rebalance_timeout_ms);
  r.set_protocol_type(std::string(kConsumerProtocolType));
  const std::string subscription = encode_subscription(ConsumerSubscription{options_.topics, {}});
  for (const std::string& name : options_.assignors) {
    v1::GroupProtocol* p = r.add_protocols();
    p->set_name(name);
    p->set_metadata(subscription);
  }
  {
    std::lock_guard lock(mu_);
    r.set_member_id(member_id_);
    call_ = call;
    call_done_ = false;
    phase_ = Phase::joining;
  }
  call->connection->groups().async()->JoinGroup(
      call->context.get(), &call->join_request, &call->join_response,
      [this, call](grpc::Status status) {
        std::lock_guard lock(mu_);
        call->status = std::move(status);
        call_done_ = true;
        cv_.notify_all();
      });
}

void GroupMember::send_sync(std::vector<std::pair<std::string, std::string>> assignments) {
  auto call = std::make_shared<Call>();
  call->is_join = false;
  call->connection = &coordinator_connection();
  call->context = call->connection->unary_context(
      std::chrono::milliseconds(options_.rebalance_timeout_ms) +
      std::chrono::milliseconds(pool_.options().request_timeout_ms));
  v1::SyncGroupRequest& r = call->sync_request;
  r.set_group_id(options_.group_id);
  for (auto& [member, bytes] : assignments) {
    v1::MemberAssignment* a = r.add_assignments();
    a->set_member_id(member);
    a->set_assignment(std::move(bytes));
  }
  {
    std::lock_guard lock(mu_);
    r.set_generation_id(generation_id_);
    r.set_member_id(member_id_);
    call_ = call;
    call_done_ = false;
    phase_ = Phase::syncing;
  }
  call->connection->groups().async()->SyncGroup(
      call->context.get(), &call->sync_request, &call->sync_response,
      [this, call](grpc::Status status) {
        std::lock_guard lock(mu_);
        call->status = std::move(status);
        call_done_ = true;
        cv_.notify_all();
      });
}

Status GroupMember::on_group_error(const v1::Error& error) {
  // Requires mu_ held.
  switch (error.code()) {
    case v1::REBALANCE_IN_PROGRESS:
      break;
    case v1::ILLEGAL_GENERATION:
      generation_id_ = -1;
      break;
    case v1::UNKNOWN_MEMBER:
      member_id_.clear();
      generation_id_ = -1;
      break;
    case v1::NOT_COORDINATOR:
      coordinator_stale_ = true;
      retry_after_ = SteadyClock::now() + kRetryBackoff;
      break;
    case v1::COORDINATOR_LOADING:
    case v1::UNAVAILABLE:
    case v1::SHUTTING_DOWN:
    case v1::TIMED_OUT:
      retry_after_ = SteadyClock::now() + kRetryBackoff;
      break;
    default:
      return from_proto(error);
  }
  rejoin_needed_ = true;
  phase_ = Phase::idle;
  return Status();
}

Result<GroupMember::Progress> GroupMember::advance(SteadyClock::time_point deadline,
                                                   bool holds_partitions) {
  // Bounded: each pass sends a call, handles one answer, or reaches the deadline.
  for (;;) {
    std::unique_lock lock(mu_);
    if (phase_ == Phase::stable) {
      if (!rejoin_needed_) return Progress{};
      phase_ = Phase::idle;
    }
    if (phase_ == Phase::idle) {
      if (holds_partitions) return Progress{true, std::nullopt};
      if (SteadyClock::now() < retry_after_) {
        cv_.wait_until(lock, std::min(retry_after_, deadline));
        if (SteadyClock::now() >= deadline) return Progress{};
        continue;
      }
      rejoin_needed_ = false;
      lock.unlock();
      send_join();
      continue;
    }
    if (!cv_.wait_until(lock, deadline, [this] { return call_done_ || stopping_; })) {
      return Progress{};
    }
    if (stopping_) return Status(ErrorCode::shutting_down, "consumer is closing");
    std::shared_ptr<Call> call = std::move(call_);
    call_done_ = false;
    phase_ = Phase::idle;
    if (!call->status.ok()) {
      // Transport failure: retry the join after a backoff.
      lock.unlock();
      (void)call->connection->check(call->status);
      lock.lock();
      rejoin_needed_ = true;
      retry_after_ = SteadyClock::now() + kRetryBackoff;
      if (SteadyClock::now() >= deadline) return Progress{};
      continue;
    }
    if (call->is_join) {
      const v1::JoinGroupResponse& response = call->join_response;
      if (response.error().code() != v1::NONE) {
        STRATA_TRY(on_group_error(response.error()));
        continue;
      }
      member_id_ = response.member_id();
      generation_id_ = response.generation_id();
      const bool is_leader = response.leader_id() == response.member_id();
      lock.unlock();
      std::vector<std::pair<std::string, std::string>> assignments;
      if (is_leader) {
        std::vector<std::pair<std::string, std::string>> members;
        for (const auto& m : response.members()) members.emplace_back(m.member_id(), m.metadata());
        STRATA_TRY_ASSIGN(assignments, compute_assignment(response.protocol_name(), members));
      }
      send_sync(std::move(assignments));
      continue;
    }
    const v1::SyncGroupResponse& response = call->sync_response;
    if (response.error().code() != v1::NONE) {
      STRATA_TRY(on_group_error(response.error()));
      continue;
    }
    auto assignment = decode_assignment(response.assignment());
    if (!assignment.ok()) return assignment.status();
    std::vector<TopicPartition> partitions = std::move(assignment->partitions);
    std::sort(partitions.begin(), partitions.end());
    phase_ = Phase::stable;
    // A heartbeat may have asked for a rejoin meanwhile: rejoin_needed_ stays.
    return Progress{false, std::move(partitions)};
  }
}

Result<std::vector<std::pair<std::string, std::string>>> GroupMember::compute_assignment(
    const std::string& protocol, const std::vector<std::pair<std::string, std::string>>& members) {
  std::unique_ptr<ConsumerAssignor> assignor = make_assignor(protocol);
  if (!assignor) {
    return Status(ErrorCode::unsupported, "group " + options_.group_id + ": assignor " + protocol +
                                              " is unknown to this client");
  }
  std::map<std::string, std::vector<std::string>> subscriptions;
  std::set<std::string> topics;
  for (const auto& [member, bytes] : members) {
    auto subscription = decode_subscription(bytes);
    if (!subscription.ok()) return subscription.status();
    topics.insert(subscription->topics.begin(), subscription->topics.end());
    subscriptions[member] = std::move(subscription->topics);
  }
  std::map<std::string, std::int32_t> counts;
  for (const std::string& topic : topics) {
    metadata_.invalidate(topic);  // partitions may have been added
    auto route = metadata_.route(topic);
    if (!route.ok()) continue;  // unknown topics get no partitions, as in Kafka
    counts[topic] = (*route)->partition_count();
  }
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [member, partitions] : assignor->assign(counts, subscriptions)) {
    out.emplace_back(member, encode_assignment(ConsumerAssignment{std::move(partitions), {}}));
  }
  return out;
}

void GroupMember::run_heartbeats() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    heartbeat_cv_.wait_for(lock, std::chrono::milliseconds(options_.heartbeat_interval_ms),
                           [this] { return stopping_; });
    if (stopping_ || phase_ != Phase::stable || rejoin_needed_) continue;
    v1::HeartbeatRequest request;
    request.set_group_id(options_.group_id);
    request.set_generation_id(generation_id_);
    request.set_member_id(member_id_);
    lock.unlock();
    Connection& connection = coordinator_connection();
    v1::HeartbeatResponse response;
    auto context = connection.unary_context();
    const grpc::Status status = connection.groups().Heartbeat(context.get(), request, &response);
    lock.lock();
    // A stale answer (the member rejoined meanwhile) changes nothing.
    if (!status.ok() || request.generation_id() != generation_id_) continue;
    switch (response.error().code()) {
      case v1::NONE:
        break;
      case v1::REBALANCE_IN_PROGRESS:
      case v1::ILLEGAL_GENERATION:
      case v1::UNKNOWN_MEMBER:
        // The consumer revokes and rejoins from its next poll().
        if (response.error().code() == v1::UNKNOWN_MEMBER) member_id_.clear();
        rejoin_needed_ = true;
        cv_.notify_all();
        break;
      case v1::NOT_COORDINATOR:
        coordinator_stale_ = true;
        break;
      default:
        break;  // transient: the next heartbeat retries
    }
  }
}

bool GroupMember::is_stable() const {
  std::lock_guard lock(mu_);
  return phase_ == Phase::stable && !rejoin_needed_;
}

void GroupMember::wait_for_rejoin(SteadyClock::time_point deadline) {
  std::unique_lock lock(mu_);
  cv_.wait_until(lock, deadline, [this] { return rejoin_needed_ || stopping_; });
}

GroupIdentity GroupMember::identity() const {
  std::lock_guard lock(mu_);
  return GroupIdentity{generation_id_, member_id_};
}

void GroupMember::leave() {
  std::string member_id;
  {
    std::lock_guard lock(mu_);
    member_id = member_id_;
    member_id_.clear();
    generation_id_ = -1;
    phase_ = Phase::idle;
    rejoin_needed_ = true;
  }
  if (member_id.empty()) return;
  Connection& connection = coordinator_connection();
  v1::LeaveGroupRequest request;
  request.set_group_id(options_.group_id);
  request.set_member_id(member_id);
  v1::LeaveGroupResponse response;
  auto context = connection.unary_context();
  (void)connection.check(connection.groups().LeaveGroup(context.get(), request, &response));
}

}  // namespace strata::client
