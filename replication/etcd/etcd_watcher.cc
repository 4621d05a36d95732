#include "replication/etcd/etcd_watcher.h"

#include <algorithm>
#include <utility>

#include "etcd/rpc.grpc.pb.h"
#include "replication/etcd/etcd_client.h"
#include "replication/etcd/etcd_connection.h"
#include "replication/etcd/etcd_proto_convert.h"
#include "replication/etcd/logger.h"

namespace strata::replication {

std::unique_ptr<EtcdWatcher> EtcdWatcher::start(EtcdClient& client, std::string prefix,
                                                std::int64_t start_revision,
                                                EventsCallback on_events,
                                                EndedCallback on_ended) {
  std::unique_ptr<EtcdWatcher> watcher(new EtcdWatcher(
      client, std::move(prefix), start_revision, std::move(on_events), std::move(on_ended)));
  // Under mu_, which run() takes first: the thread sees thread_ assigned.
  std::lock_guard lock(watcher->mu_);
  watcher->thread_ = std::thread([w = watcher.get()] { w->run(); });
  return watcher;
}

EtcdWatcher::EtcdWatcher(EtcdClient& client, std::string prefix, std::int64_t start_revision,
                         EventsCallback on_events, EndedCallback on_ended)
    : client_(client),
      prefix_(std::move(prefix)),
      on_events_(std::move(on_events)),
      on_ended_(std::move(on_ended)),
      next_revision_(start_revision) {}

EtcdWatcher::~EtcdWatcher() {
  STRATA_CHECK(std::this_thread::get_id() != thread_.get_id(),
               "an EtcdWatcher destroyed from its own callback");
  stop();
}

void EtcdWatcher::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();  // wakes a blocked Read
  }
  stopped_cv_.notify_all();
  if (std::this_thread::get_id() != thread_.get_id() && thread_.joinable()) thread_.join();
}

bool EtcdWatcher::stopping() const {
  std::lock_guard lock(mu_);
  return stopping_;
}

void EtcdWatcher::pause_unless_stopped(std::chrono::milliseconds pause) {
  std::unique_lock lock(mu_);
  stopped_cv_.wait_for(lock, pause, [this] { return stopping_; });
}

void EtcdWatcher::run() {
  { std::lock_guard lock(mu_); }  // start() has assigned thread_
  EtcdConnection& connection = client_.connection();
  std::chrono::milliseconds backoff = connection.options().initial_backoff;
  bool in_outage = false;
  // Bounded by stop(): every pass opens one stream, and waits between passes.
  while (!stopping()) {
    const std::size_t endpoint = connection.current();
    Status why;
    bool created = false;
    const bool ended = run_stream(endpoint, why, created);
    connected_ = false;
    if (stopping()) return;
    if (ended) {
      etcd_logger()->error("etcd watch {}: ended: {}", prefix_, why.to_string());
      if (on_ended_) on_ended_(why);
      return;
    }
    // One warning per outage (the loss of a stream that was up, or the first
    // failure); the retries after it only at debug level.
    const auto level = created || !in_outage ? spdlog::level::warn : spdlog::level::debug;
    etcd_logger()->log(level, "etcd watch {}: stream to {} lost ({}); resuming from revision {}",
                       prefix_, connection.endpoint(endpoint).url, why.message(),
                       next_revision_.load());
    in_outage = true;
    // A stream that was up starts the backoff over; one that never came up doubles it.
    if (created) backoff = connection.options().initial_backoff;
    pause_unless_stopped(backoff);
    backoff = std::min(backoff * 2, connection.options().max_backoff);
  }
}

bool EtcdWatcher::run_stream(std::size_t endpoint, Status& why, bool& created) {
  EtcdConnection& connection = client_.connection();
  if (!connection.await_connected(endpoint, std::chrono::system_clock::now() +
                                                connection.options().attempt_timeout)) {
    const grpc::Status not_connected(grpc::StatusCode::UNAVAILABLE, "not connected");
    connection.mark_failed(endpoint, not_connected);
    why = Status(ErrorCode::unavailable, "not connected");
    return false;
  }
  auto stub = etcdserverpb::Watch::NewStub(connection.channel(endpoint));
  grpc::ClientContext context;
  {
    std::lock_guard lock(mu_);
    if (stopping_) return false;
    context_ = &context;
  }
  auto stream = stub->Watch(&context);
  etcdserverpb::WatchRequest request;
  etcdserverpb::WatchCreateRequest* create = request.mutable_create_request();
  create->set_key(prefix_);
  create->set_range_end(etcd_prefix_end(prefix_));
  create->set_start_revision(next_revision_.load());
  // Progress responses move next_revision_ on while the prefix is quiet, so
  // a resume does not start below a compaction that covers no change of ours.
  create->set_progress_notify(true);

  bool ended = false;
  etcdserverpb::WatchResponse response;
  if (stream->Write(request)) {
    while (stream->Read(&response)) {
      if (response.compact_revision() != 0) {
        why = out_of_range_error("etcd watch " + prefix_ + ": revision " +
                                 std::to_string(next_revision_.load()) +
                                 " is compacted (compacted up to " +
                                 std::to_string(response.compact_revision()) +
                                 "); the changes in between are lost");
        ended = true;
        break;
      }
      if (response.canceled()) {
        why = Status(ErrorCode::unavailable, "canceled by etcd: " + response.cancel_reason());
        break;
      }
      if (response.created()) {
        created = true;
        if (next_revision_.load() == 0) next_revision_ = response.header().revision() + 1;
        connected_ = true;
        connection.mark_ok(endpoint);
        continue;
      }
      if (response.events_size() == 0) {
        // A progress notification: every change up to header.revision was sent.
        next_revision_ = std::max(next_revision_.load(), response.header().revision() + 1);
        continue;
      }
      std::vector<EtcdEvent> events;
      events.reserve(static_cast<std::size_t>(response.events_size()));
      for (const mvccpb::Event& e : response.events()) events.push_back(from_proto(e));
      next_revision_ = events.back().kv.mod_revision + 1;
      if (on_events_) on_events_(events);
    }
  }
  {
    std::lock_guard lock(mu_);
    context_ = nullptr;
  }
  context.TryCancel();  // we are done reading either way
  const grpc::Status status = stream->Finish();
  if (!ended && why.ok()) {
    why = EtcdConnection::to_status("watch " + prefix_, status);
    if (why.ok()) why = Status(ErrorCode::unavailable, "stream closed by etcd");
  }
  if (!ended && !created && !stopping()) connection.mark_failed(endpoint, status);
  return ended;
}

}  // namespace strata::replication
