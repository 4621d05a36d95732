#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/thread_pool.hpp>

#include "broker/kafka/handlers/handler_context.h"
#include "broker/kafka/server/kafka_server_options.h"
#include "broker/kafka/server/request_sequencer.h"
#include "broker/kafka/server/sasl_authenticator.h"
#include "common/bytes.h"

namespace strata::broker::kafka {

// One Kafka client connection. Reads size-prefixed frames (the size checked
// before anything is allocated, the body read under a deadline), decodes
// the header, dispatches the request to its handler and writes the answers
// in request order, however the handlers complete: each request takes a slot
// in a queue, filled when its handler replies; ready slots at the head are
// written. Requests take effect in arrival order (RequestSequencer: pipelined
// Produces append in order, anything else waits for what came before); their
// handlers run on the pool, one at a time per connection (handlers_). Requests are pipelined up to options.max_queued_requests, and
// reading pauses while the answers not yet written exceed
// options.max_outbound_bytes (a client that stops reading is held back and
// closed after the idle timeout). Malformed frames, unknown APIs and
// versions close the connection; ApiVersions at an unknown version gets
// Kafka's v0 UNSUPPORTED_VERSION answer. On a SASL_PLAINTEXT listener the
// connection authenticates first (SaslAuthenticator; frames capped at
// options.sasl_max_receive_bytes, a deadline of
// options.sasl_authentication_timeout); each SASL step runs on the pool
// while reading pauses, so the requests after it see its outcome.
//
// Owned by shared_ptrs held by its coroutines and pending writes; handler
// replies hold weak ones. Every member runs on the socket's executor (one
// reactor thread), so none needs a lock.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, HandlerContext& ctx, const KafkaServerOptions& options);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Starts reading. On the socket's executor.
  void start();
  asio::any_io_executor executor() { return socket_.get_executor(); }
  // Closes the socket; in-flight handlers still complete, their answers are dropped.
  void close();

 private:
  using Clock = std::chrono::steady_clock;
  struct Slot {
    bool ready = false;
    Reply reply;
    std::size_t request_bytes = 0;
    bool is_sequenced = false;  // went through sequencer_ (tell it when answered)
    RequestSequencer::Kind kind = RequestSequencer::Kind::other;
  };

  asio::awaitable<void> read_loop();
  asio::awaitable<void> watchdog();
  // Decodes one frame and dispatches it (or answers/closes at once).
  void handle_frame(std::shared_ptr<Buffer> frame);
  std::uint64_t push_slot(std::size_t request_bytes);
  // Queues a decoded request in the sequencer; it is dispatched when its turn comes.
  void sequence(std::uint64_t seq, RequestContext request, strata::kafka::RequestBody body);
  void on_reply(std::uint64_t seq, Reply reply);
  // Moves ready slots from the head into the outbound buffer and writes.
  void flush();
  void write_some();
  bool may_read() const;
  void resume_reading();
  // connection_sasl.cc: before authentication. Returns true when the frame
  // continues down the normal path (ApiVersions); otherwise it is answered
  // or the connection closed.
  bool handle_unauthenticated(const strata::kafka::RequestHeader& header, const Buffer& frame,
                              std::size_t body_offset);
  // Runs one token through the exchange on the pool; `header` is empty for
  // a raw (v0) token.
  void start_sasl_step(Secret token, std::optional<strata::kafka::RequestHeader> header);
  void on_sasl_step(std::uint64_t seq, const std::optional<strata::kafka::RequestHeader>& header,
                    const security::SaslStep& step);
  // close(), or close after the linger (see should_linger_before_close_).
  void close_when_written();
  bool is_authenticating() const { return sasl_ != nullptr && !sasl_->is_complete(); }

  asio::ip::tcp::socket socket_;
  HandlerContext& ctx_;
  const KafkaServerOptions& options_;
  asio::steady_timer resume_;     // read_loop waits on it while throttled
  asio::steady_timer watchdog_;
  // This connection's handlers run here, one at a time, in start order.
  asio::strand<asio::thread_pool::executor_type> handlers_;
  RequestSequencer sequencer_;
  std::unique_ptr<SaslAuthenticator> sasl_;  // null on a PLAINTEXT listener
  bool is_sasl_step_running_ = false;        // reading pauses meanwhile
  // After a SASL error answer the close waits options.sasl_failure_delay:
  // a client that reads the answer and the end of stream in one go
  // (kafka-python) drops the answer.
  bool should_linger_before_close_ = false;
  bool is_lingering_ = false;
  asio::steady_timer sasl_failure_delay_;
  Clock::time_point opened_;

  std::deque<Slot> slots_;        // one per request not yet answered on the wire
  std::uint64_t first_seq_ = 0;   // the sequence number of slots_.front()
  std::size_t request_bytes_in_flight_ = 0;
  Buffer outbound_;               // answers ready, not yet handed to a write
  Buffer writing_;                // the bytes of the write in progress
  std::size_t written_ = 0;       // how much of writing_ is written
  bool is_writing_ = false;
  bool close_after_flush_ = false;
  bool closed_ = false;
  bool in_frame_ = false;         // between a frame's size and its last byte
  Clock::time_point frame_started_;
  Clock::time_point last_activity_;
  std::string peer_host_;  // "/IP", as Kafka's DescribeGroups shows it
};

}  // namespace strata::broker::kafka
