#include "broker/kafka/protocol/fetch.h"

namespace strata::kafka {

namespace {

template <typename Io, typename M>
void request_fields(Io& io, std::int16_t v, M& m) {
  io.int32(m.replica_id);
  io.int32(m.max_wait_ms);
  io.int32(m.min_bytes);
  if (v >= 3) io.int32(m.max_bytes);
  if (v >= 4) io.int8(m.isolation_level);
  if (v >= 7) io.int32(m.session_id);
  if (v >= 7) io.int32(m.session_epoch);
  io.array(m.topics, [&](auto& topic) {
    io.string(topic.topic);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition);
      if (v >= 9) io.int32(partition.current_leader_epoch);
      io.int64(partition.fetch_offset);
      if (v >= 5) io.int64(partition.log_start_offset);
      io.int32(partition.partition_max_bytes);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  if (v >= 7) {
    io.array(m.forgotten_topics_data, [&](auto& forgotten_topic) {
      io.string(forgotten_topic.topic);
      io.int32_array(forgotten_topic.partitions);
      io.tagged_fields();
    });
  }
  if (v >= 11) io.string(m.rack_id);
  io.tagged_fields();
}

template <typename Io, typename M>
void response_fields(Io& io, std::int16_t v, M& m) {
  if (v >= 1) io.int32(m.throttle_time_ms);
  if (v >= 7) io.int16(m.error_code);
  if (v >= 7) io.int32(m.session_id);
  io.array(m.responses, [&](auto& topic) {
    io.string(topic.topic);
    io.array(topic.partitions, [&](auto& partition) {
      io.int32(partition.partition_index);
      io.int16(partition.error_code);
      io.int64(partition.high_watermark);
      if (v >= 4) io.int64(partition.last_stable_offset);
      if (v >= 5) io.int64(partition.log_start_offset);
      if (v >= 4) {
        io.nullable_array(partition.aborted_transactions, true, [&](auto& aborted_transaction) {
          io.int64(aborted_transaction.producer_id);
          io.int64(aborted_transaction.first_offset);
          io.tagged_fields();
        });
      }
      if (v >= 11) io.int32(partition.preferred_read_replica);
      io.records(partition.records);
      io.tagged_fields();
    });
    io.tagged_fields();
  });
  io.tagged_fields();
}

}  // namespace

void read(Reader& in, std::int16_t v, FetchRequest& m) { request_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const FetchRequest& m) { request_fields(out, v, m); }
void read(Reader& in, std::int16_t v, FetchResponse& m) { response_fields(in, v, m); }
void write(Writer& out, std::int16_t v, const FetchResponse& m) { response_fields(out, v, m); }

}  // namespace strata::kafka
