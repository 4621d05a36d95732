#pragma once

// One pipelined ProduceService.Produce stream to one broker.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "client/src/connection.h"
#include "common/result.h"

namespace strata::client {

// A bidirectional Produce stream and the thread that reads its answers.
// The producer's sender thread writes requests (one writer at a time); the
// reader thread hands each answer to `on_response` and, when the stream
// ends for any reason, calls `on_end` once with why. Owned by the producer's
// sender; the destructor cancels the stream and joins the reader. The
// Connection must outlive it.
class ProduceStream {
 public:
  using OnResponse = std::function<void(ProduceStream&, const v1::ProduceResponse&)>;
  using OnEnd = std::function<void(ProduceStream&, const Status&)>;

  // Waits for the connection (bounded by request_timeout_ms) and opens the
  // stream. Errors: unavailable or timed_out naming the broker.
  static Result<std::unique_ptr<ProduceStream>> open(Connection& connection,
                                                     OnResponse on_response, OnEnd on_end);
  ~ProduceStream();
  ProduceStream(const ProduceStream&) = delete;
  ProduceStream& operator=(const ProduceStream&) = delete;

  // Sends one request; false when the stream is broken (on_end reports it).
  bool write(const v1::ProduceRequest& request);
  // Half-closes: the broker answers what is outstanding, then ends the stream.
  void finish_writes();
  // Ends the stream now; outstanding answers are lost (on_end reports it).
  void cancel();

  // True once the reader has seen the end of the stream.
  bool has_ended() const { return has_ended_.load(); }
  Connection& connection() { return connection_; }

 private:
  ProduceStream(Connection& connection, OnResponse on_response, OnEnd on_end);
  void read_loop();

  Connection& connection_;
  OnResponse on_response_;
  OnEnd on_end_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::ProduceRequest, v1::ProduceResponse>> stream_;
  std::atomic<bool> has_ended_{false};
  std::mutex write_mu_;
  bool has_finished_writes_ = false;  // guarded by write_mu_
  std::thread reader_;
};

}  // namespace strata::client
