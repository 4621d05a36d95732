#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <asio/thread_pool.hpp>

#include "broker/host_port.h"
#include "broker/kafka/protocol/header.h"
#include "broker/kafka/protocol/response.h"
#include "common/bytes.h"

namespace strata::broker {
class BrokerProbe;
class GroupCoordinator;
class OffsetsStore;
class ProducerIdAllocator;
class TopicManager;
}  // namespace strata::broker

namespace strata::broker::kafka {

class PartitionWatch;

// Who this broker is to Kafka clients (Metadata, FindCoordinator).
struct KafkaIdentity {
  std::int32_t node_id = 0;
  std::string cluster_id;
  HostPort advertised;  // the address clients are told to connect to
};

// What every Kafka handler needs; owned by the Server, outlives the Kafka
// listener. The referenced objects are thread-safe as their headers say.
struct HandlerContext {
  TopicManager& topics;
  OffsetsStore& offsets;
  asio::thread_pool& pool;
  BrokerProbe& probe;
  ProducerIdAllocator& producer_ids;
  PartitionWatch& watch;
  // Null until the Server wires one: the group APIs then close the connection.
  GroupCoordinator* groups = nullptr;
  KafkaIdentity identity;
  // Metadata may create a topic it is asked about (when the request allows).
  bool auto_create_topics = false;
  const std::atomic<bool>& stopping;
};

// A handler's answer to one request.
struct Reply {
  Buffer frame;              // the whole response frame (size prefix included)
  bool no_response = false;  // nothing to send (Produce with acks=0)
  bool close = false;        // close the connection once earlier answers and `frame` are out
};

// Hands the reply to the connection; call exactly once, from any thread.
using ReplyFn = std::function<void(Reply)>;

// One request in a handler's hands: its header, the frame its decoded body
// borrows from (keep it alive while the body is used) and where to answer.
struct RequestContext {
  strata::kafka::RequestHeader header;
  std::shared_ptr<const Buffer> frame;
  ReplyFn reply;
  std::string client_host;  // the peer's address, for DescribeGroups
};

// Encodes `body` as the answer to `request` and replies; an encoding failure
// (a value the wire cannot carry) closes the connection instead.
template <typename Body>
void send_response(const RequestContext& request, const Body& body) {
  Reply reply;
  const Status st = strata::kafka::append_response(reply.frame, request.header.correlation_id,
                                                   request.header.api_version, body);
  if (!st.ok()) {
    reply.frame.clear();
    reply.close = true;
  }
  request.reply(std::move(reply));
}

}  // namespace strata::broker::kafka
