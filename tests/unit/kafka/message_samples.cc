#include "tests/unit/kafka/message_samples.h"

#include <string>
#include <vector>

namespace strata::kafka::testing {

namespace {

template <typename T>
T next(Counter& c) {
  return static_cast<T>(c.n++);
}
std::string text(Counter& c) { return "s" + std::to_string(c.n++); }
std::vector<std::string> texts(Counter& c) { return {text(c), text(c)}; }
std::vector<std::int32_t> int32s(Counter& c) {
  return {next<std::int32_t>(c), next<std::int32_t>(c)};
}
Buffer blob(Counter& c) { return to_buffer("b" + std::to_string(c.n++)); }
Records records(Counter& c) {
  // Opaque to the codec: any bytes do.
  static const Buffer kBytes = to_buffer("not really a record batch, the codec does not look");
  return Records::of(ByteSpan(kBytes).first(static_cast<std::size_t>(c.n++ % 40) + 1));
}

}  // namespace

void fill(Counter& c, ApiVersionsRequest& m) {
  m.client_software_name = text(c);
  m.client_software_version = text(c);
}

void fill(Counter& c, ApiVersionsResponse& m) {
  m.error_code = next<std::int16_t>(c);
  for (int i = 0; i < 2; ++i) {
    m.api_keys.push_back({next<std::int16_t>(c), next<std::int16_t>(c), next<std::int16_t>(c)});
  }
  m.throttle_time_ms = next<std::int32_t>(c);
}

void fill(Counter& c, MetadataRequest& m) {
  m.topics.emplace();
  for (int i = 0; i < 2; ++i) {
    auto& topic = (*m.topics).emplace_back();
    topic.name = text(c);
  }
  m.allow_auto_topic_creation = true;
  m.include_cluster_authorized_operations = true;
  m.include_topic_authorized_operations = true;
}

void fill(Counter& c, MetadataResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& broker = m.brokers.emplace_back();
    broker.node_id = next<std::int32_t>(c);
    broker.host = text(c);
    broker.port = next<std::int32_t>(c);
    broker.rack = text(c);
  }
  m.cluster_id = text(c);
  m.controller_id = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.error_code = next<std::int16_t>(c);
    topic.name = text(c);
    topic.is_internal = true;
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.error_code = next<std::int16_t>(c);
      partition.partition_index = next<std::int32_t>(c);
      partition.leader_id = next<std::int32_t>(c);
      partition.leader_epoch = next<std::int32_t>(c);
      partition.replica_nodes = int32s(c);
      partition.isr_nodes = int32s(c);
      partition.offline_replicas = int32s(c);
    }
    topic.topic_authorized_operations = next<std::int32_t>(c);
  }
}

void fill(Counter& c, ProduceRequest& m) {
  m.transactional_id = text(c);
  m.acks = next<std::int16_t>(c);
  m.timeout_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topic_data.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partition_data.emplace_back();
      partition.index = next<std::int32_t>(c);
      partition.records = records(c);
    }
  }
}

void fill(Counter& c, ProduceResponse& m) {
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.responses.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partition_responses.emplace_back();
      partition.index = next<std::int32_t>(c);
      partition.error_code = next<std::int16_t>(c);
      partition.base_offset = next<std::int64_t>(c);
      partition.log_append_time_ms = next<std::int64_t>(c);
      partition.log_start_offset = next<std::int64_t>(c);
    }
  }
  m.throttle_time_ms = next<std::int32_t>(c);
}

void fill(Counter& c, FetchRequest& m) {
  m.replica_id = next<std::int32_t>(c);
  m.max_wait_ms = next<std::int32_t>(c);
  m.min_bytes = next<std::int32_t>(c);
  m.max_bytes = next<std::int32_t>(c);
  m.isolation_level = next<std::int8_t>(c);
  m.session_id = next<std::int32_t>(c);
  m.session_epoch = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.topic = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition = next<std::int32_t>(c);
      partition.current_leader_epoch = next<std::int32_t>(c);
      partition.fetch_offset = next<std::int64_t>(c);
      partition.log_start_offset = next<std::int64_t>(c);
      partition.partition_max_bytes = next<std::int32_t>(c);
    }
  }
  for (int i = 0; i < 2; ++i) {
    auto& forgotten_topic = m.forgotten_topics_data.emplace_back();
    forgotten_topic.topic = text(c);
    forgotten_topic.partitions = int32s(c);
  }
  m.rack_id = text(c);
}

void fill(Counter& c, FetchResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  m.error_code = next<std::int16_t>(c);
  m.session_id = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.responses.emplace_back();
    topic.topic = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition_index = next<std::int32_t>(c);
      partition.error_code = next<std::int16_t>(c);
      partition.high_watermark = next<std::int64_t>(c);
      partition.last_stable_offset = next<std::int64_t>(c);
      partition.log_start_offset = next<std::int64_t>(c);
      partition.aborted_transactions.emplace();
      for (int k = 0; k < 2; ++k) {
        auto& aborted_transaction = (*partition.aborted_transactions).emplace_back();
        aborted_transaction.producer_id = next<std::int64_t>(c);
        aborted_transaction.first_offset = next<std::int64_t>(c);
      }
      partition.preferred_read_replica = next<std::int32_t>(c);
      partition.records = records(c);
    }
  }
}

void fill(Counter& c, ListOffsetsRequest& m) {
  m.replica_id = next<std::int32_t>(c);
  m.isolation_level = next<std::int8_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition_index = next<std::int32_t>(c);
      partition.timestamp = next<std::int64_t>(c);
      partition.current_leader_epoch = next<std::int32_t>(c);
    }
  }
}

void fill(Counter& c, ListOffsetsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition_index = next<std::int32_t>(c);
      partition.error_code = next<std::int16_t>(c);
      partition.timestamp = next<std::int64_t>(c);
      partition.offset = next<std::int64_t>(c);
      partition.leader_epoch = next<std::int32_t>(c);
    }
  }
}

void fill(Counter& c, OffsetCommitRequest& m) {
  m.group_id = text(c);
  m.generation_id_or_member_epoch = next<std::int32_t>(c);
  m.member_id = text(c);
  m.group_instance_id = text(c);
  m.retention_time_ms = next<std::int64_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition_index = next<std::int32_t>(c);
      partition.committed_offset = next<std::int64_t>(c);
      partition.committed_leader_epoch = next<std::int32_t>(c);
      partition.commit_timestamp = next<std::int64_t>(c);
      partition.committed_metadata = text(c);
    }
  }
}

void fill(Counter& c, OffsetCommitResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition_index = next<std::int32_t>(c);
      partition.error_code = next<std::int16_t>(c);
    }
  }
}

void fill(Counter& c, OffsetFetchRequest& m) {
  m.group_id = text(c);
  m.topics.emplace();
  for (int i = 0; i < 2; ++i) {
    auto& topic = (*m.topics).emplace_back();
    topic.name = text(c);
    topic.partition_indexes = int32s(c);
  }
  m.require_stable = true;
}

void fill(Counter& c, OffsetFetchResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition_index = next<std::int32_t>(c);
      partition.committed_offset = next<std::int64_t>(c);
      partition.committed_leader_epoch = next<std::int32_t>(c);
      partition.metadata = text(c);
      partition.error_code = next<std::int16_t>(c);
    }
  }
  m.error_code = next<std::int16_t>(c);
}

void fill(Counter& c, FindCoordinatorRequest& m) {
  m.key = text(c);
  m.key_type = next<std::int8_t>(c);
}

void fill(Counter& c, FindCoordinatorResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  m.error_code = next<std::int16_t>(c);
  m.error_message = text(c);
  m.node_id = next<std::int32_t>(c);
  m.host = text(c);
  m.port = next<std::int32_t>(c);
}

void fill(Counter& c, JoinGroupRequest& m) {
  m.group_id = text(c);
  m.session_timeout_ms = next<std::int32_t>(c);
  m.rebalance_timeout_ms = next<std::int32_t>(c);
  m.member_id = text(c);
  m.group_instance_id = text(c);
  m.protocol_type = text(c);
  for (int i = 0; i < 2; ++i) {
    auto& protocol = m.protocols.emplace_back();
    protocol.name = text(c);
    protocol.metadata = blob(c);
  }
}

void fill(Counter& c, JoinGroupResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  m.error_code = next<std::int16_t>(c);
  m.generation_id = next<std::int32_t>(c);
  m.protocol_name = text(c);
  m.leader = text(c);
  m.member_id = text(c);
  for (int i = 0; i < 2; ++i) {
    auto& member = m.members.emplace_back();
    member.member_id = text(c);
    member.group_instance_id = text(c);
    member.metadata = blob(c);
  }
}

void fill(Counter& c, HeartbeatRequest& m) {
  m.group_id = text(c);
  m.generation_id = next<std::int32_t>(c);
  m.member_id = text(c);
  m.group_instance_id = text(c);
}

void fill(Counter& c, HeartbeatResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  m.error_code = next<std::int16_t>(c);
}

void fill(Counter& c, LeaveGroupRequest& m) {
  m.group_id = text(c);
  m.member_id = text(c);
  for (int i = 0; i < 2; ++i) {
    auto& member = m.members.emplace_back();
    member.member_id = text(c);
    member.group_instance_id = text(c);
  }
}

void fill(Counter& c, LeaveGroupResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  m.error_code = next<std::int16_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& member = m.members.emplace_back();
    member.member_id = text(c);
    member.group_instance_id = text(c);
    member.error_code = next<std::int16_t>(c);
  }
}

void fill(Counter& c, SyncGroupRequest& m) {
  m.group_id = text(c);
  m.generation_id = next<std::int32_t>(c);
  m.member_id = text(c);
  m.group_instance_id = text(c);
  for (int i = 0; i < 2; ++i) {
    auto& assignment = m.assignments.emplace_back();
    assignment.member_id = text(c);
    assignment.assignment = blob(c);
  }
}

void fill(Counter& c, SyncGroupResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  m.error_code = next<std::int16_t>(c);
  m.assignment = blob(c);
}

void fill(Counter& c, DescribeGroupsRequest& m) {
  m.groups = texts(c);
  m.include_authorized_operations = true;
}

void fill(Counter& c, DescribeGroupsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& group = m.groups.emplace_back();
    group.error_code = next<std::int16_t>(c);
    group.group_id = text(c);
    group.group_state = text(c);
    group.protocol_type = text(c);
    group.protocol_data = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& member = group.members.emplace_back();
      member.member_id = text(c);
      member.group_instance_id = text(c);
      member.client_id = text(c);
      member.client_host = text(c);
      member.member_metadata = blob(c);
      member.member_assignment = blob(c);
    }
    group.authorized_operations = next<std::int32_t>(c);
  }
}

void fill(Counter& c, ListGroupsRequest& m) {
  m.states_filter = texts(c);
}

void fill(Counter& c, ListGroupsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  m.error_code = next<std::int16_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& group = m.groups.emplace_back();
    group.group_id = text(c);
    group.protocol_type = text(c);
    group.group_state = text(c);
  }
}

void fill(Counter& c, CreateTopicsRequest& m) {
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    topic.num_partitions = next<std::int32_t>(c);
    topic.replication_factor = next<std::int16_t>(c);
    for (int j = 0; j < 2; ++j) {
      auto& assignment = topic.assignments.emplace_back();
      assignment.partition_index = next<std::int32_t>(c);
      assignment.broker_ids = int32s(c);
    }
    for (int j = 0; j < 2; ++j) {
      auto& config = topic.configs.emplace_back();
      config.name = text(c);
      config.value = text(c);
    }
  }
  m.timeout_ms = next<std::int32_t>(c);
  m.validate_only = true;
}

void fill(Counter& c, CreateTopicsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    topic.error_code = next<std::int16_t>(c);
    topic.error_message = text(c);
  }
}

void fill(Counter& c, DeleteTopicsRequest& m) {
  m.topic_names = texts(c);
  m.timeout_ms = next<std::int32_t>(c);
}

void fill(Counter& c, DeleteTopicsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.responses.emplace_back();
    topic.name = text(c);
    topic.error_code = next<std::int16_t>(c);
  }
}

void fill(Counter& c, InitProducerIdRequest& m) {
  m.transactional_id = text(c);
  m.transaction_timeout_ms = next<std::int32_t>(c);
  m.producer_id = next<std::int64_t>(c);
  m.producer_epoch = next<std::int16_t>(c);
}

void fill(Counter& c, InitProducerIdResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  m.error_code = next<std::int16_t>(c);
  m.producer_id = next<std::int64_t>(c);
  m.producer_epoch = next<std::int16_t>(c);
}

void fill(Counter& c, DescribeConfigsRequest& m) {
  for (int i = 0; i < 2; ++i) {
    auto& resource = m.resources.emplace_back();
    resource.resource_type = next<std::int8_t>(c);
    resource.resource_name = text(c);
    resource.configuration_keys = texts(c);
  }
  m.include_synonyms = true;
}

void fill(Counter& c, DescribeConfigsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& result = m.results.emplace_back();
    result.error_code = next<std::int16_t>(c);
    result.error_message = text(c);
    result.resource_type = next<std::int8_t>(c);
    result.resource_name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& config = result.configs.emplace_back();
      config.name = text(c);
      config.value = text(c);
      config.read_only = true;
      config.is_default = true;
      config.config_source = next<std::int8_t>(c);
      config.is_sensitive = true;
      for (int k = 0; k < 2; ++k) {
        auto& synonym = config.synonyms.emplace_back();
        synonym.name = text(c);
        synonym.value = text(c);
        synonym.source = next<std::int8_t>(c);
      }
    }
  }
}

void fill(Counter& c, CreatePartitionsRequest& m) {
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    topic.count = next<std::int32_t>(c);
    topic.assignments.emplace();
    for (int j = 0; j < 2; ++j) {
      auto& assignment = (*topic.assignments).emplace_back();
      assignment.broker_ids = int32s(c);
    }
  }
  m.timeout_ms = next<std::int32_t>(c);
  m.validate_only = true;
}

void fill(Counter& c, CreatePartitionsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& result = m.results.emplace_back();
    result.name = text(c);
    result.error_code = next<std::int16_t>(c);
    result.error_message = text(c);
  }
}

void fill(Counter& c, DeleteGroupsRequest& m) {
  m.groups_names = texts(c);
}

void fill(Counter& c, DeleteGroupsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& result = m.results.emplace_back();
    result.group_id = text(c);
    result.error_code = next<std::int16_t>(c);
  }
}

void fill(Counter& c, SaslHandshakeRequest& m) { m.mechanism = text(c); }

void fill(Counter& c, SaslHandshakeResponse& m) {
  m.error_code = next<std::int16_t>(c);
  m.mechanisms = texts(c);
}

void fill(Counter& c, SaslAuthenticateRequest& m) { m.auth_bytes = blob(c); }

void fill(Counter& c, SaslAuthenticateResponse& m) {
  m.error_code = next<std::int16_t>(c);
  m.error_message = text(c);
  m.auth_bytes = blob(c);
  m.session_lifetime_ms = next<std::int64_t>(c);
}

void fill(Counter& c, DeleteRecordsRequest& m) {
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition_index = next<std::int32_t>(c);
      partition.offset = next<std::int64_t>(c);
    }
  }
  m.timeout_ms = next<std::int32_t>(c);
}

void fill(Counter& c, DeleteRecordsResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.name = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition_index = next<std::int32_t>(c);
      partition.low_watermark = next<std::int64_t>(c);
      partition.error_code = next<std::int16_t>(c);
    }
  }
}

void fill(Counter& c, OffsetForLeaderEpochRequest& m) {
  m.replica_id = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.topic = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.partition = next<std::int32_t>(c);
      partition.current_leader_epoch = next<std::int32_t>(c);
      partition.leader_epoch = next<std::int32_t>(c);
    }
  }
}

void fill(Counter& c, OffsetForLeaderEpochResponse& m) {
  m.throttle_time_ms = next<std::int32_t>(c);
  for (int i = 0; i < 2; ++i) {
    auto& topic = m.topics.emplace_back();
    topic.topic = text(c);
    for (int j = 0; j < 2; ++j) {
      auto& partition = topic.partitions.emplace_back();
      partition.error_code = next<std::int16_t>(c);
      partition.partition = next<std::int32_t>(c);
      partition.leader_epoch = next<std::int32_t>(c);
      partition.end_offset = next<std::int64_t>(c);
    }
  }
}
}  // namespace strata::kafka::testing
