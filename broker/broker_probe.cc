#include "broker/broker_probe.h"

#include <prometheus/counter.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace strata::broker {
namespace {

constexpr std::string_view kApis[] = {
    "CreateTopic",  "DeleteTopic",    "ListTopics",     "DescribeTopic",  "AddPartitions",
    "AlterTopicConfigs", "BrokerInfo", "GetMetadata",   "Produce",        "InitProducerId",
    "Fetch",        "ListOffsets",    "OffsetCommit",   "OffsetFetch",    "ResetOffsets",
    "FindCoordinator", "JoinGroup",   "SyncGroup",      "Heartbeat",      "LeaveGroup",
    "ListGroups",   "DescribeGroup",  "DeleteGroup",    "other",
};

}  // namespace

BrokerProbe::BrokerProbe(prometheus::Registry& registry) {
  auto& requests = prometheus::BuildCounter()
                       .Name("strata_requests_total")
                       .Help("Native API requests handled, by RPC (Produce: per request on the "
                             "stream; Fetch: per message sent)")
                       .Register(registry);
  auto& latency = prometheus::BuildHistogram()
                      .Name("strata_request_latency_seconds")
                      .Help("Native API request latency, by RPC")
                      .Register(registry);
  const prometheus::Histogram::BucketBoundaries buckets = {
      0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
  for (std::string_view api : kApis) {
    const std::map<std::string, std::string> labels = {{"api", std::string(api)}};
    apis_.emplace(std::string(api), Api{&requests.Add(labels), &latency.Add(labels, buckets)});
  }
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
}

void BrokerProbe::observe_request(std::string_view api, double seconds) {
  auto it = apis_.find(api);
  if (it == apis_.end()) it = apis_.find(std::string_view("other"));
  it->second.requests->Increment();
  it->second.latency->Observe(seconds);
}

void BrokerProbe::add_bytes_in(std::uint64_t bytes) { bytes_in_->Increment(static_cast<double>(bytes)); }
void BrokerProbe::add_bytes_out(std::uint64_t bytes) { bytes_out_->Increment(static_cast<double>(bytes)); }

}  // namespace strata::broker
