#include "client/src/fetch_stream.h"

#include <limits>

namespace strata::client {

namespace {

std::int64_t steady_ns() {
  return std::chrono::steady_clock::now().time_since_epoch().count();
}

// FetchStream::last_activity_ns_ while the reader waits for room in the inbox.
constexpr std::int64_t kHeldBack = std::numeric_limits<std::int64_t>::max();

}  // namespace

void FetchInbox::push(FetchEvent event, const std::atomic<bool>& is_cancelled) {
  std::unique_lock lock(mu_);
  if (event.response) {
    cv_.wait(lock, [&] {
      return is_cancelled.load() || queued_[event.stream_id] < kMaxQueuedPerStream;
    });
    if (is_cancelled.load()) return;
    ++queued_[event.stream_id];
  }
  events_.push_back(std::move(event));
  cv_.notify_all();
}

std::optional<FetchEvent> FetchInbox::pop(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mu_);
  if (!cv_.wait_until(lock, deadline, [&] { return !events_.empty(); })) return std::nullopt;
  FetchEvent event = std::move(events_.front());
  events_.pop_front();
  if (event.response) {
    if (--queued_[event.stream_id] <= 0) queued_.erase(event.stream_id);
  } else {
    queued_.erase(event.stream_id);
  }
  cv_.notify_all();
  return event;
}

void FetchInbox::wake() {
  std::lock_guard lock(mu_);
  cv_.notify_all();
}

Result<std::unique_ptr<FetchStream>> FetchStream::open(Connection& connection,
                                                       v1::FetchRequest request,
                                                       FetchInbox& inbox,
                                                       std::uint64_t stream_id) {
  STRATA_TRY(connection.wait_connected());
  std::unique_ptr<FetchStream> stream(new FetchStream(connection, inbox, stream_id));
  stream->request_ = std::move(request);
  stream->reader_ = connection.fetch().Fetch(&stream->context_, stream->request_);
  stream->thread_ = std::thread([s = stream.get()] { s->read_loop(); });
  return stream;
}

FetchStream::FetchStream(Connection& connection, FetchInbox& inbox, std::uint64_t stream_id)
    : connection_(connection), inbox_(inbox), id_(stream_id), last_activity_ns_(steady_ns()) {}

FetchStream::~FetchStream() {
  is_cancelled_.store(true);
  context_.TryCancel();
  inbox_.wake();
  if (thread_.joinable()) thread_.join();
}

std::chrono::steady_clock::time_point FetchStream::last_activity() const {
  const std::int64_t ns = last_activity_ns_.load();
  if (ns == kHeldBack) return std::chrono::steady_clock::now();
  return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(ns));
}

void FetchStream::read_loop() {
  // A new message per answer: the records of the last one point into it.
  auto response = std::make_shared<v1::FetchResponse>();
  while (reader_->Read(response.get())) {
    // push() waits while the consumer has not taken this stream's earlier
    // answers: that wait is not silence of the broker.
    last_activity_ns_.store(kHeldBack);
    inbox_.push(FetchEvent{id_, std::move(response), Status()}, is_cancelled_);
    last_activity_ns_.store(steady_ns());
    response = std::make_shared<v1::FetchResponse>();
    if (is_cancelled_.load()) break;
  }
  if (is_cancelled_.load()) {
    context_.TryCancel();
    while (reader_->Read(response.get())) {
    }
  }
  const grpc::Status status = reader_->Finish();
  if (is_cancelled_.load()) return;  // nobody waits for the end of a cancelled stream
  inbox_.push(FetchEvent{id_, nullptr, connection_.check(status)}, is_cancelled_);
}

}  // namespace strata::client
