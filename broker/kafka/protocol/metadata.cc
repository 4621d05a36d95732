#include "broker/kafka/protocol/metadata.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.nullable_array(m.topics, v >= 1, [&](auto& topic) {
    io.string(topic.name);
    io.tagged_fields();
  });
  if (v >= 4) io.boolean(m.allow_auto_topic_creation);
  if (v >= 8 && v <= 10) io.boolean(m.include_cluster_authorized_operations);
  if (v >= 8) io.boolean(m.include_topic_authorized_operations);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 3) io.int32(m.throttle_time_ms);
  io.array(m.brokers, [&](auto& broker) {
    io.int32(broker.node_id);
    io.string(broker.host);
    io.int32(broker.port);
    if (v >= 1) io.nullable_string(broker.rack);
    io.tagged_fields();
  });
  if (v >= 2) io.nullable_string(m.cluster_id);
  if (v >= 1) io.int32(m.controller_id);
  io.array(m.topics, [&](auto& topic) {
    io.int16(topic.error_code);
    io.string(topic.name);
    if (v >= 1) io.boolean(topic.is_internal);
    io.array(topic.partitions, [&](auto& partition) {
      io.int16(partition.error_code);
      io.int32(partition.partition_index);
      io.int32(partition.leader_id);
      if (v >= 7) io.int32(partition.leader_epoch);
      io.int32_array(partition.replica_nodes);
      io.int32_array(partition.isr_nodes);
      if (v >= 5) io.int32_array(partition.offline_replicas);
      io.tagged_fields();
    });
    if (v >= 8) io.int32(topic.topic_authorized_operations);
    io.tagged_fields();
  });
  if (v >= 8 && v <= 10) io.int32(m.cluster_authorized_operations);
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, MetadataRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const MetadataRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, MetadataResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const MetadataResponse& m) { response_fields(out, v, m); }

}  // namespace strata::kafka
