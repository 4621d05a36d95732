#include "broker/kafka/server/connection.h"

#include <algorithm>
#include <array>
#include <utility>
#include <variant>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/read.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#include "broker/kafka/handlers/registry.h"
#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/request.h"
#include "broker/kafka/protocol/response.h"
#include "broker/logger.h"

namespace strata::broker::kafka {
namespace {

using namespace ::strata::kafka;

// A frame's buffer grows with the bytes that actually arrive, in steps of at
// least this much, so a declared size alone never makes the broker allocate it.
constexpr std::size_t kReadStepBytes = 64 * 1024;

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, HandlerContext& ctx,
                       const KafkaServerOptions& options)
    : socket_(std::move(socket)),
      ctx_(ctx),
      options_(options),
      resume_(socket_.get_executor()),
      watchdog_(socket_.get_executor()),
      handlers_(asio::make_strand(ctx.pool.get_executor())),
      sasl_failure_delay_(socket_.get_executor()) {
  if (options.security_protocol == KafkaSecurityProtocol::sasl_plaintext) {
    sasl_ = std::make_unique<SaslAuthenticator>(options);
  }
}

void Connection::start() {
  last_activity_ = Clock::now();
  opened_ = last_activity_;
  std::error_code ec;
  const auto peer = socket_.remote_endpoint(ec);
  if (!ec) peer_host_ = "/" + peer.address().to_string();
  asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->read_loop(); },
                 asio::detached);
  asio::co_spawn(socket_.get_executor(), [self = shared_from_this()] { return self->watchdog(); },
                 asio::detached);
}

void Connection::close() {
  if (closed_) return;
  closed_ = true;
  std::error_code ec;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ec);
  socket_.close(ec);
  resume_.cancel();
  watchdog_.cancel();
  sasl_failure_delay_.cancel();
  sequencer_.clear();
  slots_.clear();
  outbound_.clear();
}

bool Connection::may_read() const {
  return !closed_ && !close_after_flush_ && !is_sasl_step_running_ &&
         slots_.size() < options_.max_queued_requests &&
         outbound_.size() + (writing_.size() - written_) < options_.max_outbound_bytes &&
         (request_bytes_in_flight_ == 0 ||
          request_bytes_in_flight_ < static_cast<std::size_t>(options_.max_request_bytes));
}

void Connection::resume_reading() { resume_.cancel(); }

asio::awaitable<void> Connection::read_loop() {
  std::error_code ec;
  // Every iteration reads one frame or ends the loop; the socket is finite.
  for (;;) {
    while (!closed_ && !may_read()) {
      resume_.expires_at(Clock::time_point::max());
      co_await resume_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    if (closed_) co_return;
    std::array<std::byte, kFrameSizeBytes> prefix{};
    co_await asio::async_read(socket_, asio::buffer(prefix),
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec || closed_) break;
    in_frame_ = true;
    frame_started_ = Clock::now();
    // Before authentication: Kafka's small cap, and raw v0 tokens may be tiny.
    const bool is_raw_token = sasl_ && sasl_->state() == SaslAuthenticator::State::raw_tokens;
    auto size = read_frame_size(
        prefix,
        is_authenticating() ? std::min(options_.max_request_bytes, options_.sasl_max_receive_bytes)
                            : options_.max_request_bytes,
        is_raw_token ? 1 : kMinRequestFrameBytes);
    if (!size.ok()) {
      logger()->debug("kafka: closing connection: frame size: {}", size.status().to_string());
      break;
    }
    auto frame = std::make_shared<Buffer>();
    const auto total = static_cast<std::size_t>(*size);
    while (frame->size() < total) {
      const std::size_t have = frame->size();
      const std::size_t step = std::min(total - have, std::max(kReadStepBytes, have));
      frame->resize(have + step);
      co_await asio::async_read(socket_, asio::buffer(frame->data() + have, step),
                                asio::redirect_error(asio::use_awaitable, ec));
      if (ec || closed_) break;
    }
    if (ec || closed_) break;
    in_frame_ = false;
    last_activity_ = Clock::now();
    handle_frame(std::move(frame));
  }
  close();
}

void Connection::handle_frame(std::shared_ptr<Buffer> frame) {
  if (sasl_ && sasl_->state() == SaslAuthenticator::State::raw_tokens) {
    return start_sasl_step(Secret(std::string(as_string_view(*frame))), std::nullopt);
  }
  std::size_t body_offset = 0;
  auto header = decode_request_header(*frame, body_offset);
  if (!header.ok()) {
    logger()->debug("kafka: closing connection: {}", header.status().to_string());
    return close();
  }
  if (is_authenticating() && !handle_unauthenticated(*header, *frame, body_offset)) return;
  const std::int16_t key = header->api_key;
  const std::int16_t version = header->api_version;
  if (!is_advertised(key, version)) {
    if (key == to_int(ApiKey::api_versions)) {
      // KIP-511: answer in v0 so the client can retry at a version we speak.
      const std::uint64_t seq = push_slot(0);
      return on_reply(seq, Reply{encode_api_versions_unsupported(header->correlation_id)});
    }
    logger()->debug("kafka: closing connection: {} v{} is not supported", api_name(key), version);
    return close();
  }
  auto body = decode_request_body(*header, ByteSpan(*frame).subspan(body_offset));
  if (!body.ok()) {
    logger()->debug("kafka: closing connection: {} v{}: {}", api_name(key), version,
                    body.status().to_string());
    return close();
  }
  const std::size_t bytes = frame->size();
  const std::uint64_t seq = push_slot(bytes);
  request_bytes_in_flight_ += bytes;
  std::weak_ptr<Connection> weak = weak_from_this();
  auto executor = socket_.get_executor();
  RequestContext request{*header, std::move(frame),
                         [weak, executor, seq](Reply reply) {
                           asio::post(executor, [weak, seq, reply = std::move(reply)]() mutable {
                             if (auto self = weak.lock()) self->on_reply(seq, std::move(reply));
                           });
                         },
                         peer_host_};
  sequence(seq, std::move(request), std::move(body).value());
}

void Connection::sequence(std::uint64_t seq, RequestContext request, RequestBody body) {
  const auto kind = std::holds_alternative<ProduceRequest>(body) ? RequestSequencer::Kind::append
                                                                 : RequestSequencer::Kind::other;
  Slot& slot = slots_[seq - first_seq_];
  slot.is_sequenced = true;
  slot.kind = kind;
  // std::function wants a copyable callable: the request waits in a shared box.
  struct Pending {
    RequestContext request;
    RequestBody body;
  };
  auto pending = std::make_shared<Pending>(Pending{std::move(request), std::move(body)});
  sequencer_.submit(kind, [this, pending] {
    dispatch(ctx_, handlers_, std::move(pending->request), std::move(pending->body));
  });
}

std::uint64_t Connection::push_slot(std::size_t request_bytes) {
  slots_.push_back(Slot{false, {}, request_bytes});
  return first_seq_ + slots_.size() - 1;
}

void Connection::on_reply(std::uint64_t seq, Reply reply) {
  if (closed_ || seq < first_seq_ || seq - first_seq_ >= slots_.size()) return;
  Slot& slot = slots_[seq - first_seq_];
  request_bytes_in_flight_ -= std::min(request_bytes_in_flight_, slot.request_bytes);
  slot.request_bytes = 0;
  slot.ready = true;
  slot.reply = std::move(reply);
  const bool was_sequenced = std::exchange(slot.is_sequenced, false);
  const RequestSequencer::Kind kind = slot.kind;
  flush();
  // After flush(): starting the next request never touches the slot above.
  if (was_sequenced && !closed_) sequencer_.finished(kind);
}

void Connection::flush() {
  bool popped = false;
  while (!slots_.empty() && slots_.front().ready && !close_after_flush_) {
    Slot& slot = slots_.front();
    // A closing answer may still carry a frame (a SASL error): sent, then the close.
    if (!slot.reply.no_response) append(outbound_, slot.reply.frame);
    if (slot.reply.close) close_after_flush_ = true;
    slots_.pop_front();
    ++first_seq_;
    popped = true;
  }
  if (close_after_flush_) {
    // Nothing after a closing answer is sent, or even started; earlier
    // answers still are sent.
    slots_.clear();
    sequencer_.clear();
  }
  last_activity_ = Clock::now();
  if (!is_writing_ && !outbound_.empty()) {
    writing_.swap(outbound_);
    outbound_.clear();
    written_ = 0;
    is_writing_ = true;
    write_some();
  } else if (!is_writing_ && close_after_flush_) {
    close_when_written();
  }
  if (popped) resume_reading();
}

void Connection::write_some() {
  socket_.async_write_some(
      asio::buffer(writing_.data() + written_, writing_.size() - written_),
      [self = shared_from_this()](std::error_code ec, std::size_t n) {
        if (ec || self->closed_) return self->close();
        self->written_ += n;
        self->last_activity_ = Clock::now();
        if (self->written_ < self->writing_.size()) return self->write_some();
        self->is_writing_ = false;
        self->writing_.clear();
        self->written_ = 0;
        self->flush();
        self->resume_reading();
      });
}

asio::awaitable<void> Connection::watchdog() {
  const auto period = std::clamp(
      std::min({options_.frame_read_timeout, options_.idle_timeout,
                options_.sasl_authentication_timeout}) / 4,
      std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
  std::error_code ec;
  while (!closed_) {
    watchdog_.expires_after(period);
    co_await watchdog_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (closed_) break;
    const auto now = Clock::now();
    if (is_authenticating() && now - opened_ > options_.sasl_authentication_timeout) {
      logger()->debug("kafka: closing connection {}: not authenticated within {} ms", peer_host_,
                      options_.sasl_authentication_timeout.count());
      close();
    } else if (in_frame_ && now - frame_started_ > options_.frame_read_timeout) {
      logger()->debug("kafka: closing connection: a frame took over {} ms",
                      options_.frame_read_timeout.count());
      close();
    } else if (now - last_activity_ > options_.idle_timeout &&
               (is_writing_ || slots_.empty())) {
      // Idle, or a write that made no progress (a client that stopped reading).
      // Requests still in a handler (a long poll) keep the connection.
      logger()->debug("kafka: closing connection: idle for {} ms", options_.idle_timeout.count());
      close();
    }
  }
}

}  // namespace strata::broker::kafka
