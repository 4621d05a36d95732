#include "broker/http/http_server.h"

#include <chrono>
#include <thread>

#include <httplib.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include "broker/logger.h"
#include "broker/topic_manager.h"

namespace strata::broker {
namespace {

prometheus::MetricFamily gauge_family(std::string name, std::string help) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = prometheus::MetricType::Gauge;
  return family;
}

prometheus::ClientMetric& add_gauge(prometheus::MetricFamily& family, const Partition& p,
                                    double value) {
  prometheus::ClientMetric metric;
  metric.label = {{"topic", p.topic_partition().topic},
                  {"partition", std::to_string(p.topic_partition().partition.value())}};
  metric.gauge.value = value;
  family.metric.push_back(std::move(metric));
  return family.metric.back();
}

// 1 while the partition refuses appends, with reason "out_of_space" (it
// resumes by itself) or the error that made it read-only ("io_error",
// "corruption"); 0 and reason "" while writable.
void add_read_only(prometheus::MetricFamily& family, const Partition& p) {
  const storage::WriteState state = p.write_state();
  std::string reason;
  if (state == storage::WriteState::out_of_space) {
    reason = std::string(storage::to_string(state));
  } else if (state == storage::WriteState::read_only) {
    reason = std::string(to_string(p.write_error().code()));
  }
  prometheus::ClientMetric& metric =
      add_gauge(family, p, state == storage::WriteState::writable ? 0.0 : 1.0);
  metric.label.push_back({"reason", std::move(reason)});
}

}  // namespace

HttpServer::HttpServer(prometheus::Registry& registry, const TopicManager& topics)
    : registry_(registry), topics_(topics), server_(std::make_unique<httplib::Server>()) {}

HttpServer::~HttpServer() { stop(); }

Result<HostPort> HttpServer::start(const HostPort& address) {
  server_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(render_metrics(), "text/plain; version=0.0.4");
  });
  HostPort bound = address;
  if (address.port == 0) {
    const int port = server_->bind_to_any_port(address.host);
    if (port <= 0) return io_error("http: cannot bind " + address.to_string());
    bound.port = static_cast<std::uint16_t>(port);
  } else if (!server_->bind_to_port(address.host, address.port)) {
    return io_error("http: cannot bind " + address.to_string());
  }
  thread_ = std::thread([this] {
    server_->listen_after_bind();
    listen_returned_.store(true);
  });
  if (!wait_until_settled(std::chrono::steady_clock::now() + std::chrono::seconds(10)) ||
      !server_->is_running()) {
    return io_error("http: server on " + bound.to_string() + " did not start");
  }
  logger()->info("http: listening on {}", bound.to_string());
  return bound;
}

// httplib's stop() only ends a server whose accept loop already runs: one
// called before the listening thread got there is lost, and the join after it
// hangs (SIGTERM right after the ready line did that, ~1 start in 20 under
// load). So start() and stop() first wait for the loop to run, or for the
// thread to have returned without running it.
bool HttpServer::wait_until_settled(std::chrono::steady_clock::time_point deadline) const {
  while (!server_->is_running() && !listen_returned_.load()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

void HttpServer::stop() {
  if (!thread_.joinable()) return;
  // No deadline: the listening thread either starts its loop or returns.
  wait_until_settled(std::chrono::steady_clock::time_point::max());
  if (server_->is_running()) server_->stop();
  thread_.join();
}

std::string HttpServer::render_metrics() const {
  std::vector<prometheus::MetricFamily> families = registry_.Collect();
  auto leo = gauge_family("strata_partition_log_end_offset", "Offset the next appended record gets");
  auto hw = gauge_family("strata_partition_high_watermark", "End of the records consumers may read");
  auto start = gauge_family("strata_partition_log_start_offset", "Oldest offset still kept");
  auto size = gauge_family("strata_partition_size_bytes", "Bytes of the partition's segment files");
  auto read_only = gauge_family("strata_partition_read_only",
                                "1 while the partition refuses appends after a storage error");
  for (const auto& topic : topics_.list_topics()) {
    for (const auto& p : topic->partitions) {
      if (p->is_closed()) continue;
      add_gauge(leo, *p, static_cast<double>(p->log_end_offset().value()));
      add_gauge(hw, *p, static_cast<double>(p->high_watermark().value()));
      add_gauge(start, *p, static_cast<double>(p->log_start_offset().value()));
      add_gauge(size, *p, static_cast<double>(p->size_bytes()));
      add_read_only(read_only, *p);
    }
  }
  families.push_back(std::move(leo));
  families.push_back(std::move(hw));
  families.push_back(std::move(start));
  families.push_back(std::move(size));
  families.push_back(std::move(read_only));
  return prometheus::TextSerializer().Serialize(families);
}

}  // namespace strata::broker
