#pragma once

// Long-poll FetchService.Fetch streams feeding one consumer inbox.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "client/src/connection.h"
#include "common/result.h"

namespace strata::client {

// What a fetch stream delivered: an answer, or (response null) its end.
struct FetchEvent {
  std::uint64_t stream_id = 0;
  // Shared: the consumed records point into it (ConsumerRecord::data).
  std::shared_ptr<const v1::FetchResponse> response;
  Status end;  // why the stream ended; ok when the broker closed it cleanly
};

// The queue every fetch stream of one consumer pushes into, so poll() waits
// on all of them at once. Each stream keeps at most kMaxQueuedPerStream
// answers here (gRPC flow control holds back the rest). Thread-safe.
class FetchInbox {
 public:
  static constexpr int kMaxQueuedPerStream = 2;

  // Blocks while the stream already has kMaxQueuedPerStream answers queued,
  // unless `is_cancelled` turns true. Ends are never held back.
  void push(FetchEvent event, const std::atomic<bool>& is_cancelled);
  // The next event, or nullopt at `deadline`.
  std::optional<FetchEvent> pop(std::chrono::steady_clock::time_point deadline);
  // Wakes pushers that wait for a cancelled stream.
  void wake();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<FetchEvent> events_;             // guarded by mu_
  std::map<std::uint64_t, int> queued_;       // per stream; guarded by mu_
};

// One Fetch call over some partitions of one topic at one broker, and the
// thread that reads it into a FetchInbox. Owned by the consumer; the
// destructor cancels the call and joins the reader. The Connection and the
// inbox must outlive it.
class FetchStream {
 public:
  // Waits for the connection (bounded by request_timeout_ms) and starts the
  // call. Errors: unavailable or timed_out naming the broker.
  static Result<std::unique_ptr<FetchStream>> open(Connection& connection,
                                                   v1::FetchRequest request, FetchInbox& inbox,
                                                   std::uint64_t stream_id);
  ~FetchStream();
  FetchStream(const FetchStream&) = delete;
  FetchStream& operator=(const FetchStream&) = delete;

  std::uint64_t id() const { return id_; }
  Connection& connection() { return connection_; }
  // When the stream last delivered a message (answers or keep-alives), or
  // last got room in the inbox for one, whichever is later; now while an
  // answer waits for that room (the consumer, not the broker, holds the
  // stream back then, however long the application takes between polls).
  std::chrono::steady_clock::time_point last_activity() const;

 private:
  FetchStream(Connection& connection, FetchInbox& inbox, std::uint64_t stream_id);
  void read_loop();

  Connection& connection_;
  FetchInbox& inbox_;
  const std::uint64_t id_;
  v1::FetchRequest request_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::FetchResponse>> reader_;
  std::atomic<bool> is_cancelled_{false};
  // steady_clock nanoseconds, or kHeldBack while the reader is in push().
  std::atomic<std::int64_t> last_activity_ns_{0};
  std::thread thread_;
};

}  // namespace strata::client
