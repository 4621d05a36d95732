#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "replication/etcd/etcd_types.h"

namespace grpc {
class ClientContext;
}  // namespace grpc

namespace strata::replication {

class EtcdClient;

// Watches every key with a prefix, from a revision on, over etcd's Watch
// stream, and survives the loss of the stream: it reconnects (to the next
// endpoint, with backoff) and resumes from one past the last revision it
// delivered, so every change is seen exactly once and in revision order,
// across etcd restarts too.
//
//   start --> connected --(stream lost)--> reconnecting --> connected ...
//                 |                            |
//                 +--(resume revision compacted)--+--> ended (on_ended)
//
// Threads: the watcher runs one thread of its own; both callbacks run on it,
// one at a time, in order. They must not block for long, and must not
// destroy the watcher (stop() from a callback is allowed: it returns at once).
// The EtcdClient must outlive the watcher.
class EtcdWatcher {
 public:
  // The events of one or more revisions, in revision order.
  using EventsCallback = std::function<void(const std::vector<EtcdEvent>& events)>;
  // The watch ended on its own and will deliver nothing more: out_of_range
  // when the revision to resume from was compacted (the changes in between
  // are lost: re-read the keys, then watch from that read's revision + 1).
  // Not called after stop().
  using EndedCallback = std::function<void(const Status& why)>;

  // Starts watching `prefix` from `start_revision` (inclusive; 0 = changes
  // after now). Returns at once; the watch connects in the background.
  static std::unique_ptr<EtcdWatcher> start(EtcdClient& client, std::string prefix,
                                            std::int64_t start_revision,
                                            EventsCallback on_events, EndedCallback on_ended);
  // stop(). Requires: not called from a callback.
  ~EtcdWatcher();
  EtcdWatcher(const EtcdWatcher&) = delete;
  EtcdWatcher& operator=(const EtcdWatcher&) = delete;

  // Ends the watch and waits for its thread (unless called from a callback);
  // no callback runs after it returns. A watcher waiting for a connection
  // notices within EtcdClientOptions::attempt_timeout. Idempotent.
  void stop();

  // The revision the watch resumes from: one past the last delivered event
  // (0 until a watch "from now" was first created).
  std::int64_t next_revision() const { return next_revision_.load(); }
  // Whether the stream is established (created by etcd) right now.
  bool is_connected() const { return connected_.load(); }
  // Whether the caller is the watcher's own thread (inside a callback).
  bool is_own_thread() const { return std::this_thread::get_id() == thread_.get_id(); }

 private:
  EtcdWatcher(EtcdClient& client, std::string prefix, std::int64_t start_revision,
              EventsCallback on_events, EndedCallback on_ended);
  void run();
  // One stream, until it breaks or the watch ends: true when the watch ended
  // for good (with `why` set), false to reconnect. `created`: etcd accepted it.
  bool run_stream(std::size_t endpoint, Status& why, bool& created);
  bool stopping() const;
  // Waits up to `pause` unless stopped first.
  void pause_unless_stopped(std::chrono::milliseconds pause);

  EtcdClient& client_;
  const std::string prefix_;
  const EventsCallback on_events_;
  const EndedCallback on_ended_;
  std::atomic<std::int64_t> next_revision_;
  std::atomic<bool> connected_{false};
  mutable std::mutex mu_;
  std::condition_variable stopped_cv_;
  bool stopping_ = false;                   // guarded by mu_
  grpc::ClientContext* context_ = nullptr;  // the open stream's, guarded by mu_
  std::thread thread_;
};

}  // namespace strata::replication
