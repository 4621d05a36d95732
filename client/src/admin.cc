#include <strata/admin.h>

#include <algorithm>

#include <strata/assignor.h>

#include "client/src/connection.h"
#include "client/src/metadata_cache.h"
#include "client/src/offsets_client.h"
#include "client/src/proto_convert.h"

namespace strata::client {

// Admin internals: unary calls on the bootstrap connection (offsets at the
// coordinator and leaders). Thread-safe: the pool, cache and offsets client
// are.
class Admin::Impl {
 public:
  explicit Impl(AdminOptions options)
      : pool_(std::move(options.connection)), metadata_(pool_), offsets_(pool_, metadata_) {}

  // Runs one unary AdminService/GroupService call on the bootstrap broker.
  template <typename Request, typename Response, typename Method>
  Result<Response> call(Method method, const Request& request) {
    Connection& connection = pool_.bootstrap();
    Response response;
    auto context = connection.unary_context();
    STRATA_TRY(connection.check(method(connection, context.get(), request, &response)));
    return response;
  }

  ConnectionPool pool_;
  MetadataCache metadata_;
  OffsetsClient offsets_;
};

namespace {

std::vector<BrokerId> to_ids(const google::protobuf::RepeatedField<std::int32_t>& ids) {
  std::vector<BrokerId> out;
  for (std::int32_t id : ids) out.emplace_back(id);
  return out;
}

}  // namespace

Result<std::unique_ptr<Admin>> Admin::create(AdminOptions options) {
  if (options.connection.bootstrap.empty()) {
    return invalid_argument_error("admin: bootstrap address is empty");
  }
  return std::unique_ptr<Admin>(new Admin(std::make_unique<Impl>(std::move(options))));
}

Admin::Admin(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Admin::~Admin() = default;

Status Admin::create_topic(const std::string& name, std::int32_t partitions,
                           const std::map<std::string, std::string>& configs,
                           std::int32_t replication_factor) {
  v1::CreateTopicRequest request;
  request.set_name(name);
  request.set_partitions(partitions);
  request.set_replication_factor(replication_factor);
  for (const auto& [key, value] : configs) (*request.mutable_configs())[key] = value;
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::CreateTopicRequest, v1::CreateTopicResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.admin().CreateTopic(ctx, req, resp);
                        },
                        request)));
  impl_->metadata_.invalidate(name);
  return from_proto(response.error());
}

Status Admin::delete_topic(const std::string& name) {
  v1::DeleteTopicRequest request;
  request.set_name(name);
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::DeleteTopicRequest, v1::DeleteTopicResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.admin().DeleteTopic(ctx, req, resp);
                        },
                        request)));
  impl_->metadata_.invalidate(name);
  return from_proto(response.error());
}

const char* to_string(PartitionWriteState state) {
  switch (state) {
    case PartitionWriteState::unknown: return "unknown";
    case PartitionWriteState::writable: return "writable";
    case PartitionWriteState::out_of_space: return "out_of_space";
    case PartitionWriteState::read_only: return "read_only";
  }
  return "unknown";
}

Result<std::vector<TopicListing>> Admin::list_topics(bool include_internal) {
  v1::ListTopicsRequest request;
  request.set_include_internal(include_internal);
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::ListTopicsRequest, v1::ListTopicsResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.admin().ListTopics(ctx, req, resp);
                        },
                        request)));
  STRATA_TRY(from_proto(response.error()));
  std::vector<TopicListing> out;
  for (const auto& topic : response.topics()) {
    out.push_back(TopicListing{topic.name(), topic.partitions(), topic.replication_factor(),
                               topic.is_internal()});
  }
  return out;
}

Result<TopicDescription> Admin::describe_topic(const std::string& name) {
  v1::DescribeTopicRequest request;
  request.set_name(name);
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::DescribeTopicRequest, v1::DescribeTopicResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.admin().DescribeTopic(ctx, req, resp);
                        },
                        request)));
  STRATA_TRY(from_proto(response.error()));
  TopicDescription out;
  out.name = response.name().empty() ? name : response.name();
  out.is_internal = response.is_internal();
  for (const auto& p : response.partitions()) {
    PartitionDescription d;
    d.partition = PartitionId(p.partition());
    d.leader = BrokerId(p.leader_id());
    d.leader_epoch = LeaderEpoch(p.leader_epoch());
    d.replicas = to_ids(p.replicas());
    d.isr = to_ids(p.isr());
    d.log_start_offset = Offset(p.log_start_offset());
    d.log_end_offset = Offset(p.log_end_offset());
    d.high_watermark = Offset(p.high_watermark());
    d.size_bytes = p.size_bytes();
    d.error = from_proto(p.error());
    d.write_state = from_proto(p.write_state());
    d.write_error = from_proto(p.write_error());
    out.partitions.push_back(std::move(d));
  }
  for (const auto& c : response.configs()) {
    out.configs.push_back(TopicConfigEntry{c.name(), c.value(), c.is_default()});
  }
  return out;
}

Status Admin::add_partitions(const std::string& name, std::int32_t total_partitions) {
  v1::AddPartitionsRequest request;
  request.set_name(name);
  request.set_total_partitions(total_partitions);
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::AddPartitionsRequest, v1::AddPartitionsResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.admin().AddPartitions(ctx, req, resp);
                        },
                        request)));
  impl_->metadata_.invalidate(name);
  return from_proto(response.error());
}

Status Admin::alter_topic_configs(const std::string& name,
                                  const std::map<std::string, std::string>& set,
                                  const std::vector<std::string>& remove) {
  v1::AlterTopicConfigsRequest request;
  request.set_name(name);
  for (const auto& [key, value] : set) (*request.mutable_set())[key] = value;
  for (const auto& key : remove) request.add_remove(key);
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::AlterTopicConfigsRequest, v1::AlterTopicConfigsResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.admin().AlterTopicConfigs(ctx, req, resp);
                        },
                        request)));
  return from_proto(response.error());
}

Result<BrokerDescription> Admin::broker_info() {
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::BrokerInfoRequest, v1::BrokerInfoResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.admin().BrokerInfo(ctx, req, resp);
                        },
                        v1::BrokerInfoRequest())));
  BrokerDescription out;
  out.node_id = BrokerId(response.node_id());
  out.cluster_id = response.cluster_id();
  out.version = response.version();
  for (const auto& l : response.listeners()) {
    out.listeners.push_back(ListenerInfo{l.protocol(), l.host(), l.port(), l.is_tls()});
  }
  out.uptime_ms = response.uptime_ms();
  out.data_dirs.assign(response.data_dirs().begin(), response.data_dirs().end());
  out.controller_id = BrokerId(response.controller_id());
  return out;
}

Result<std::vector<ListedOffset>> Admin::list_offsets(const std::string& topic,
                                                      std::vector<std::int32_t> partitions,
                                                      OffsetSpec spec,
                                                      std::int64_t timestamp_ms) {
  if (partitions.empty()) {
    impl_->metadata_.invalidate(topic);
    STRATA_TRY_ASSIGN(auto route, impl_->metadata_.route(topic));
    for (std::int32_t p = 0; p < route->partition_count(); ++p) partitions.push_back(p);
  }
  return impl_->offsets_.list_offsets(topic, partitions, spec, timestamp_ms);
}

Result<std::vector<GroupPartitionOffset>> Admin::group_offsets(const std::string& group_id,
                                                               const std::string& topic) {
  std::vector<TopicPartition> wanted;
  if (!topic.empty()) {
    impl_->metadata_.invalidate(topic);
    STRATA_TRY_ASSIGN(auto route, impl_->metadata_.route(topic));
    for (std::int32_t p = 0; p < route->partition_count(); ++p) {
      wanted.push_back(TopicPartition{topic, PartitionId(p)});
    }
  }
  STRATA_TRY_ASSIGN(auto committed, impl_->offsets_.fetch(group_id, wanted));
  for (const auto& tp : wanted) committed.try_emplace(tp);
  // Log end offsets (high watermarks), one ListOffsets per topic.
  std::map<std::string, std::vector<std::int32_t>> by_topic;
  for (const auto& [tp, position] : committed) by_topic[tp.topic].push_back(tp.partition.value());
  std::map<TopicPartition, Offset> ends;
  for (const auto& [name, partitions] : by_topic) {
    STRATA_TRY_ASSIGN(auto listed,
                      impl_->offsets_.list_offsets(name, partitions, OffsetSpec::latest));
    for (const auto& entry : listed) {
      if (entry.error.ok()) ends[TopicPartition{name, entry.partition}] = entry.offset;
    }
  }
  std::vector<GroupPartitionOffset> out;
  for (const auto& [tp, position] : committed) {
    GroupPartitionOffset row;
    row.topic_partition = tp;
    row.committed = position.offset;
    row.metadata = position.metadata;
    if (auto it = ends.find(tp); it != ends.end()) row.log_end_offset = it->second;
    if (row.committed.value() >= 0 && row.log_end_offset.value() >= 0) {
      row.lag = std::max<std::int64_t>(row.log_end_offset - row.committed, 0);
    }
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<ResetOffsetResult>> Admin::reset_offsets(const std::string& group_id,
                                                            const std::string& topic,
                                                            const ResetTarget& target,
                                                            std::vector<std::int32_t> partitions,
                                                            bool dry_run) {
  v1::ResetOffsetsRequest request;
  request.set_group_id(group_id);
  request.set_topic(topic);
  for (std::int32_t p : partitions) request.add_partitions(p);
  if (target.spec) {
    request.set_to_spec(*target.spec == OffsetSpec::earliest ? v1::OFFSET_SPEC_EARLIEST
                                                             : v1::OFFSET_SPEC_LATEST);
  } else if (target.offset >= 0) {
    request.set_to_offset(target.offset);
  } else if (target.timestamp_ms >= 0) {
    request.set_to_timestamp_ms(target.timestamp_ms);
  } else {
    return invalid_argument_error("reset_offsets: no target");
  }
  request.set_dry_run(dry_run);
  Result<v1::ResetOffsetsResponse> response = Status(ErrorCode::internal, "not sent");
  for (int attempt = 0; attempt < 2; ++attempt) {
    STRATA_TRY_ASSIGN(auto address, impl_->offsets_.coordinator(group_id, attempt > 0));
    Connection& connection = impl_->pool_.get(address);
    v1::ResetOffsetsResponse answer;
    auto context = connection.unary_context();
    STRATA_TRY(connection.check(connection.offsets().ResetOffsets(context.get(), request, &answer)));
    response = std::move(answer);
    if (response->error().code() != v1::NOT_COORDINATOR) break;
  }
  STRATA_TRY(from_proto(response->error()));
  std::vector<ResetOffsetResult> out;
  for (const auto& p : response->partitions()) {
    out.push_back(ResetOffsetResult{PartitionId(p.partition()), Offset(p.previous_offset()),
                                    Offset(p.new_offset()), from_proto(p.error())});
  }
  return out;
}

Result<std::vector<std::string>> Admin::list_groups() {
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::ListGroupsRequest, v1::ListGroupsResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.groups().ListGroups(ctx, req, resp);
                        },
                        v1::ListGroupsRequest())));
  STRATA_TRY(from_proto(response.error()));
  std::vector<std::string> out;
  for (const auto& group : response.groups()) out.push_back(group.group_id());
  return out;
}

Status Admin::delete_group(const std::string& group_id) {
  v1::DeleteGroupRequest request;
  request.set_group_id(group_id);
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::DeleteGroupRequest, v1::DeleteGroupResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.groups().DeleteGroup(ctx, req, resp);
                        },
                        request)));
  return from_proto(response.error());
}

namespace {

std::string state_name(v1::GroupState state) {
  switch (state) {
    case v1::GROUP_STATE_EMPTY: return "Empty";
    case v1::GROUP_STATE_PREPARING_REBALANCE: return "PreparingRebalance";
    case v1::GROUP_STATE_COMPLETING_REBALANCE: return "CompletingRebalance";
    case v1::GROUP_STATE_STABLE: return "Stable";
    case v1::GROUP_STATE_DEAD: return "Dead";
    default: return "Unknown";
  }
}

}  // namespace

Result<GroupDescription> Admin::describe_group(const std::string& group_id) {
  v1::DescribeGroupRequest request;
  request.set_group_id(group_id);
  STRATA_TRY_ASSIGN(auto response,
                    (impl_->call<v1::DescribeGroupRequest, v1::DescribeGroupResponse>(
                        [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                          return c.groups().DescribeGroup(ctx, req, resp);
                        },
                        request)));
  STRATA_TRY(from_proto(response.error()));
  GroupDescription out;
  out.group_id = response.group_id();
  out.state = state_name(response.state());
  out.protocol_type = response.protocol_type();
  out.protocol_name = response.protocol_name();
  out.generation_id = response.generation_id();
  out.leader_id = response.leader_id();
  for (const auto& m : response.members()) {
    GroupMemberInfo info{m.member_id(), m.client_id(), m.client_host(), {}};
    if (response.protocol_type() == kConsumerProtocolType) {
      auto assignment = decode_assignment(m.assignment());
      if (assignment.ok()) info.assignment = std::move(assignment->partitions);
    }
    out.members.push_back(std::move(info));
  }
  return out;
}

Status Admin::create_user(const std::string& name, const Secret& password,
                          std::int32_t iterations) {
  v1::CreateUserRequest request;
  request.set_name(name);
  request.set_password(std::string(password.reveal()));
  request.set_iterations(iterations);
  STRATA_TRY_ASSIGN(auto response, (impl_->call<v1::CreateUserRequest, v1::CreateUserResponse>(
                                       [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                                         return c.users().CreateUser(ctx, req, resp);
                                       },
                                       request)));
  return from_proto(response.error());
}

Status Admin::delete_user(const std::string& name) {
  v1::DeleteUserRequest request;
  request.set_name(name);
  STRATA_TRY_ASSIGN(auto response, (impl_->call<v1::DeleteUserRequest, v1::DeleteUserResponse>(
                                       [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                                         return c.users().DeleteUser(ctx, req, resp);
                                       },
                                       request)));
  return from_proto(response.error());
}

Result<std::vector<UserListing>> Admin::list_users() {
  STRATA_TRY_ASSIGN(auto response, (impl_->call<v1::ListUsersRequest, v1::ListUsersResponse>(
                                       [](Connection& c, auto* ctx, const auto& req, auto* resp) {
                                         return c.users().ListUsers(ctx, req, resp);
                                       },
                                       v1::ListUsersRequest())));
  STRATA_TRY(from_proto(response.error()));
  std::vector<UserListing> users;
  for (const auto& u : response.users()) {
    users.push_back(UserListing{u.name(), {u.mechanisms().begin(), u.mechanisms().end()}});
  }
  return users;
}

}  // namespace strata::client
