#pragma once

// Small helpers over the generated stubs for integration tests: a channel to
// a BrokerProcess, topic creation, one produce round trip, reading a fetch
// stream until a condition holds.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "common/bytes.h"
#include "strata/v1/admin_service.grpc.pb.h"
#include "strata/v1/fetch_service.grpc.pb.h"
#include "strata/v1/offsets_service.grpc.pb.h"
#include "strata/v1/produce_service.grpc.pb.h"

namespace strata::testing {

// A channel that accepts large messages (fetch answers up to 8 MiB).
std::shared_ptr<grpc::Channel> connect(const std::string& address);
// A deadline a few seconds away, for every call.
void set_deadline(grpc::ClientContext& context, std::chrono::milliseconds in = std::chrono::seconds(10));

v1::CreateTopicResponse create_topic(grpc::Channel& channel, const std::string& name,
                                     std::int32_t partitions,
                                     const std::map<std::string, std::string>& configs = {});

// A valid batch of `records` values "<prefix>-<i>".
Buffer make_batch(const std::string& prefix, int records);
// The bytes as a string (how fetch answers carry batches).
std::string as_string(const Buffer& bytes);

// Sends `requests` on one Produce stream, half-closes and returns every
// answer (empty when the stream failed).
std::vector<v1::ProduceResponse> produce(grpc::Channel& channel,
                                         const std::vector<v1::ProduceRequest>& requests);
v1::ProduceRequest produce_request(std::uint64_t correlation_id, const std::string& topic,
                                   std::int32_t partition, const Buffer& batch,
                                   v1::Acks acks = v1::ACKS_ALL);

// A Fetch of one partition from `offset`.
v1::FetchRequest fetch_request(const std::string& topic, std::int32_t partition,
                               std::int64_t offset, std::int32_t max_wait_ms = 100);

// Opens a Fetch stream and reads messages until `done` holds for the
// messages so far, the stream ends, or `timeout` passes. Returns them.
std::vector<v1::FetchResponse> fetch_until(
    grpc::Channel& channel, const v1::FetchRequest& request,
    const std::function<bool(const std::vector<v1::FetchResponse>&)>& done,
    std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Concatenated batches of every message for `partition`.
std::string fetched_bytes(const std::vector<v1::FetchResponse>& messages, std::int32_t partition);

}  // namespace strata::testing
