#pragma once

// The machinery behind strata::client::Producer.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <strata/producer.h>

#include "client/src/connection.h"
#include "client/src/metadata_cache.h"
#include "client/src/produce_stream.h"
#include "client/src/producer_sequences.h"
#include "client/src/record_accumulator.h"

namespace strata::client {

// Producer internals: the accumulator that send() fills, one sender thread
// that drains ready batches onto one ProduceStream per broker, and the
// streams' reader threads that complete them. Thread-safe as Producer says.
class Producer::Impl {
 public:
  explicit Impl(ProducerOptions options);
  ~Impl();

  void send(ProducerRecord record, DeliveryCallback callback);
  void flush();
  void close(std::int32_t timeout_ms);
  Result<std::int32_t> partition_count(const std::string& topic);

 private:
  // A batch on the wire, keyed by correlation id.
  struct InFlight {
    std::unique_ptr<ProducerBatch> batch;
    ProduceStream* stream = nullptr;
    SteadyClock::time_point sent_at;
  };

  void run_sender();
  void send_batch(std::unique_ptr<ProducerBatch> batch);
  // Idempotence: asks the bootstrap broker for a producer id unless there is
  // one, at most once per retry_backoff_ms. Sender thread.
  Status ensure_producer_id();
  Result<ProduceStream*> stream_to(const std::string& address);
  void expire_requests(SteadyClock::time_point now);
  void reap_ended_streams();

  // Reader threads.
  void on_response(const v1::ProduceResponse& response);
  void on_stream_end(ProduceStream& stream, const Status& why);

  void retry_or_fail(std::unique_ptr<ProducerBatch> batch, const Status& why);
  void fail(std::unique_ptr<ProducerBatch> batch, const Status& why);
  void succeed(std::unique_ptr<ProducerBatch> batch, std::int64_t base_offset,
               std::int64_t log_append_time_ms);

  const ProducerOptions options_;
  // enable_idempotence, and acks other than none (which has no answers).
  const bool is_idempotent_;
  ConnectionPool pool_;
  MetadataCache metadata_;
  RecordAccumulator accumulator_;
  std::atomic<bool> is_closed_{false};     // send() refuses records
  std::atomic<bool> is_stopping_{false};   // failures no longer retry
  std::atomic<std::uint64_t> next_correlation_id_{1};

  std::mutex mu_;
  std::map<std::uint64_t, InFlight> in_flight_;  // guarded by mu_

  ProducerSequences sequences_;

  // Sender thread only.
  std::map<std::string, std::unique_ptr<ProduceStream>> streams_;
  Status producer_id_error_;                // the last InitProducerId failure
  SteadyClock::time_point next_producer_id_attempt_;
  std::mutex close_mu_;  // serializes close()
  std::thread sender_;
};

}  // namespace strata::client
