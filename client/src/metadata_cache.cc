#include "client/src/metadata_cache.h"

#include "client/src/proto_convert.h"

namespace strata::client {

Result<std::shared_ptr<const TopicRoute>> MetadataCache::route(const std::string& topic) {
  {
    std::lock_guard lock(mu_);
    auto it = routes_.find(topic);
    if (it != routes_.end()) return it->second;
  }
  return fetch(topic);
}

Result<std::shared_ptr<const TopicRoute>> MetadataCache::fetch(const std::string& topic) {
  Connection& connection = pool_.bootstrap();
  v1::MetadataRequest request;
  request.add_topics(topic);
  v1::MetadataResponse response;
  auto context = connection.unary_context();
  STRATA_TRY(connection.check(connection.metadata().GetMetadata(context.get(), request, &response)));
  for (const auto& entry : response.topics()) {
    if (entry.name() != topic) continue;
    STRATA_TRY(from_proto(entry.error()));
    auto route = std::make_shared<TopicRoute>();
    route->topic = topic;
    route->leaders.assign(static_cast<std::size_t>(entry.partitions_size()), -1);
    for (const auto& partition : entry.partitions()) {
      const auto index = static_cast<std::size_t>(partition.partition());
      if (partition.partition() >= 0 && index < route->leaders.size()) {
        route->leaders[index] = partition.leader_id();
      }
    }
    if (route->leaders.empty()) {
      return Status(ErrorCode::unavailable, topic + ": metadata lists no partitions");
    }
    std::lock_guard lock(mu_);
    brokers_.clear();
    for (const auto& broker : response.brokers()) {
      brokers_[broker.node_id()] = broker_address(broker.host(), broker.port());
    }
    routes_[topic] = route;
    return std::shared_ptr<const TopicRoute>(route);
  }
  return not_found_error(topic + ": not in the broker's metadata");
}

void MetadataCache::invalidate(const std::string& topic) {
  std::lock_guard lock(mu_);
  routes_.erase(topic);
}

std::string MetadataCache::leader_address(const std::string& topic, std::int32_t partition) {
  std::lock_guard lock(mu_);
  if (brokers_.size() > 1) {
    auto it = routes_.find(topic);
    if (it != routes_.end() && partition >= 0 && partition < it->second->partition_count()) {
      auto broker = brokers_.find(it->second->leaders[static_cast<std::size_t>(partition)]);
      if (broker != brokers_.end()) return broker->second;
    }
  }
  return pool_.options().bootstrap;
}

}  // namespace strata::client
