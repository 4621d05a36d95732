#include "client/src/produce_stream.h"

#include "client/src/proto_convert.h"

namespace strata::client {

Result<std::unique_ptr<ProduceStream>> ProduceStream::open(Connection& connection,
                                                           OnResponse on_response, OnEnd on_end) {
  STRATA_TRY(connection.wait_connected());
  std::unique_ptr<ProduceStream> stream(
      new ProduceStream(connection, std::move(on_response), std::move(on_end)));
  stream->stream_ = connection.produce().Produce(&stream->context_);
  stream->reader_ = std::thread([s = stream.get()] { s->read_loop(); });
  return stream;
}

ProduceStream::ProduceStream(Connection& connection, OnResponse on_response, OnEnd on_end)
    : connection_(connection), on_response_(std::move(on_response)), on_end_(std::move(on_end)) {}

ProduceStream::~ProduceStream() {
  if (!has_ended_.load()) context_.TryCancel();
  if (reader_.joinable()) reader_.join();
}

bool ProduceStream::write(const v1::ProduceRequest& request) {
  std::lock_guard lock(write_mu_);
  if (has_finished_writes_ || has_ended_.load()) return false;
  return stream_->Write(request);
}

void ProduceStream::finish_writes() {
  std::lock_guard lock(write_mu_);
  if (has_finished_writes_) return;
  has_finished_writes_ = true;
  stream_->WritesDone();
}

void ProduceStream::cancel() { context_.TryCancel(); }

void ProduceStream::read_loop() {
  v1::ProduceResponse response;
  while (stream_->Read(&response)) on_response_(*this, response);
  grpc::Status status;
  {
    // Finish() must not overlap a Write(); a Write on a broken stream returns
    // at once, and cancel() unblocks one waiting on flow control.
    std::lock_guard lock(write_mu_);
    status = stream_->Finish();
    has_ended_.store(true);
  }
  Status why = connection_.check(status);
  if (why.ok()) {
    why = Status(ErrorCode::unavailable,
                 "broker " + connection_.address() + " ended the produce stream");
  }
  on_end_(*this, why);
}

}  // namespace strata::client
