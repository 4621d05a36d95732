#include "client/src/producer_sequences.h"

#include <memory>

#include <catch2/catch.hpp>

#include "common/record_batch.h"

namespace strata::client {
namespace {

// An encoded batch of `records` records for `partition`, as the sender holds it.
std::unique_ptr<ProducerBatch> batch_of(std::int32_t partition, int records) {
  auto batch = std::make_unique<ProducerBatch>(RecordBatchOptions{});
  batch->topic = "orders";
  batch->partition = partition;
  for (int i = 0; i < records; ++i) REQUIRE(batch->builder.append(1000, std::nullopt, std::nullopt).ok());
  batch->encoded = std::move(batch->builder.build()).value();
  return batch;
}

TEST_CASE("stamped batches carry the producer id and consecutive sequences per partition",
          "[client][idempotence]") {
  ProducerSequences sequences;
  sequences.set_producer_id(ProducerId(42), 0);
  auto a = batch_of(0, 3);
  auto b = batch_of(0, 2);
  auto other = batch_of(1, 4);
  sequences.stamp(*a);
  sequences.stamp(*b);
  sequences.stamp(*other);
  CHECK(a->base_sequence == 0);
  CHECK(b->base_sequence == 3);
  CHECK(other->base_sequence == 0);
  // The header says the same, under a CRC that still holds.
  auto header = parse_batch_header(b->encoded);
  REQUIRE(header.ok());
  CHECK(header->producer_id == 42);
  CHECK(header->producer_epoch == 0);
  CHECK(header->base_sequence == 3);
  CHECK(RecordBatchView::validate(b->encoded).ok());
}

TEST_CASE("a sequence error behind an unresolved batch means resend; after an acknowledged one, fail",
          "[client][idempotence]") {
  ProducerSequences sequences;
  sequences.set_producer_id(ProducerId(7), 0);
  auto a = batch_of(0, 5);
  auto b = batch_of(0, 5);
  sequences.stamp(*a);
  sequences.stamp(*b);
  // a is still unresolved (failed with a retriable error): b waits for it.
  CHECK(sequences.should_resend_after_sequence_error(*b));
  sequences.acknowledged(*a);
  // a is in: the broker seeing a gap before b is not something a resend fixes.
  CHECK_FALSE(sequences.should_resend_after_sequence_error(*b));
}

TEST_CASE("a batch that failed for good starts a new epoch at sequence 0; the older batches fail",
          "[client][idempotence]") {
  ProducerSequences sequences;
  sequences.set_producer_id(ProducerId(7), 0);
  auto a = batch_of(0, 5);
  auto b = batch_of(0, 5);
  sequences.stamp(*a);
  sequences.stamp(*b);
  sequences.failed(*a);
  // b was stamped behind a and can never follow it.
  CHECK_FALSE(sequences.should_resend_after_sequence_error(*b));
  sequences.failed(*b);  // same old epoch: no second bump
  auto c = batch_of(0, 1);
  sequences.stamp(*c);
  CHECK(c->producer_epoch == 1);
  CHECK(c->base_sequence == 0);
  // Other partitions keep their epoch.
  auto d = batch_of(1, 1);
  sequences.stamp(*d);
  CHECK(d->producer_epoch == 0);
}

TEST_CASE("a batch never stamped leaves no gap when it fails", "[client][idempotence]") {
  ProducerSequences sequences;
  sequences.set_producer_id(ProducerId(7), 0);
  auto a = batch_of(0, 5);
  sequences.stamp(*a);
  auto unsent = batch_of(0, 5);
  sequences.failed(*unsent);
  auto b = batch_of(0, 1);
  sequences.stamp(*b);
  CHECK(b->producer_epoch == 0);
  CHECK(b->base_sequence == 5);
}

}  // namespace
}  // namespace strata::client
