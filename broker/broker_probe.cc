#include "broker/broker_probe.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "broker/kafka/protocol/api_versions_table.h"

namespace strata::broker {
namespace {

constexpr std::string_view kNativeApis[] = {
    "CreateTopic",  "DeleteTopic",    "ListTopics",     "DescribeTopic",  "AddPartitions",
    "AlterTopicConfigs", "BrokerInfo", "GetMetadata",   "Produce",        "InitProducerId",
    "Fetch",        "ListOffsets",    "OffsetCommit",   "OffsetFetch",    "ResetOffsets",
    "FindCoordinator", "JoinGroup",   "SyncGroup",      "Heartbeat",      "LeaveGroup",
    "ListGroups",   "DescribeGroup",  "DeleteGroup",
};

constexpr std::string_view kOther = "other";

std::size_t index_of(BrokerProbe::Protocol protocol) { return static_cast<std::size_t>(protocol); }

}  // namespace

BrokerProbe::BrokerProbe(prometheus::Registry& registry) {
  auto& requests = prometheus::BuildCounter()
                       .Name("strata_requests_total")
                       .Help("Requests handled, by protocol and API (native Produce: per request "
                             "on the stream; native Fetch: per message sent; kafka: per request)")
                       .Register(registry);
  auto& latency = prometheus::BuildHistogram()
                      .Name("strata_request_latency_seconds")
                      .Help("Request latency, by protocol and API (kafka: from dispatch to the "
                            "answer being ready, long-poll waits included)")
                      .Register(registry);
  const prometheus::Histogram::BucketBoundaries buckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  auto add = [&](Protocol protocol, std::string_view protocol_name, std::string_view api) {
    const std::map<std::string, std::string> labels = {{"api", std::string(api)},
                                                       {"protocol", std::string(protocol_name)}};
    apis_[index_of(protocol)].emplace(std::string(api),
                                      Api{&requests.Add(labels), &latency.Add(labels, buckets)});
  };
  for (std::string_view api : kNativeApis) add(Protocol::native, "native", api);
  add(Protocol::native, "native", kOther);
  for (const strata::kafka::ApiVersionRange& row : strata::kafka::supported_apis()) {
    add(Protocol::kafka, "kafka", row.name);
  }
  add(Protocol::kafka, "kafka", kOther);
  bytes_in_ = &prometheus::BuildCounter()
                   .Name("strata_bytes_in_total")
                   .Help("Record batch bytes appended by producers")
                   .Register(registry)
                   .Add({});
  bytes_out_ = &prometheus::BuildCounter()
                    .Name("strata_bytes_out_total")
                    .Help("Record batch bytes sent to consumers")
                    .Register(registry)
                    .Add({});
  flush_cycle_ = &prometheus::BuildHistogram()
                      .Name("strata_flush_cycle_seconds")
                      .Help("Group-commit flush cycles: the time to fdatasync, once each, every "
                            "log with pending durable appends (acks=all answers wait for it)")
                      .Register(registry)
                      .Add({}, buckets);
}

void BrokerProbe::observe_request(std::string_view api, double seconds, Protocol protocol) {
  const ApiMap& apis = apis_[index_of(protocol)];
  auto it = apis.find(api);
  if (it == apis.end()) it = apis.find(kOther);
  it->second.requests->Increment();
  it->second.latency->Observe(seconds);
}

void BrokerProbe::add_bytes_in(std::uint64_t bytes) { bytes_in_->Increment(static_cast<double>(bytes)); }
void BrokerProbe::add_bytes_out(std::uint64_t bytes) { bytes_out_->Increment(static_cast<double>(bytes)); }
void BrokerProbe::observe_flush_cycle(double seconds) { flush_cycle_->Observe(seconds); }

}  // namespace strata::broker
