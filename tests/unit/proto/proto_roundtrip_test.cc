#include <grpcpp/grpcpp.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "strata/v1/admin_service.grpc.pb.h"
#include "strata/v1/fetch_service.grpc.pb.h"
#include "strata/v1/group_service.grpc.pb.h"
#include "strata/v1/metadata_service.grpc.pb.h"
#include "strata/v1/offsets_service.grpc.pb.h"
#include "strata/v1/produce_service.grpc.pb.h"

namespace {

namespace v1 = strata::v1;

// Bytes shaped like a RecordBatch v2 header (61 bytes): zero bytes, bytes
// above 0x7f and magic 2 at position 16, to show `bytes` fields are binary-safe.
std::string batch_like_bytes() {
  std::string bytes(61, '\0');
  bytes[11] = static_cast<char>(49);    // batchLength (low byte): 61 - 12
  bytes[16] = static_cast<char>(2);     // magic
  bytes[17] = static_cast<char>(0xE3);  // crc, arbitrary
  bytes[18] = static_cast<char>(0x06);
  bytes[60] = static_cast<char>(0xFF);
  return bytes;
}

v1::ProduceRequest make_produce_request(std::uint64_t correlation_id, const std::string& batch) {
  v1::ProduceRequest request;
  request.set_correlation_id(correlation_id);
  request.set_topic("orders");
  request.set_partition(3);
  request.set_acks(v1::ACKS_ALL);
  request.set_timeout_ms(1500);
  request.mutable_records()->set_batches(batch);
  return request;
}

// Answers each produce request with base_offset = 100 * its position on the
// stream. Test-only; the real service lives in broker/native/.
class EchoProduceService final : public v1::ProduceService::Service {
 public:
  grpc::Status Produce(grpc::ServerContext* /*context*/,
                       grpc::ServerReaderWriter<v1::ProduceResponse, v1::ProduceRequest>* stream)
      override {
    v1::ProduceRequest request;
    std::int64_t next_offset = 0;
    while (stream->Read(&request)) {
      if (request.acks() == v1::ACKS_NONE) continue;
      v1::ProduceResponse response;
      response.set_correlation_id(request.correlation_id());
      response.mutable_header()->set_leader_id(1);
      response.mutable_header()->set_leader_epoch(7);
      response.set_base_offset(next_offset);
      response.set_log_append_time_ms(-1);
      response.set_log_start_offset(0);
      next_offset += 100;
      if (!stream->Write(response)) break;
    }
    return grpc::Status::OK;
  }
};

}  // namespace

TEST_CASE("a produce request keeps its batch bytes through serialize and parse", "[proto]") {
  const std::string batch = batch_like_bytes();
  const v1::ProduceRequest sent = make_produce_request(42, batch);

  std::string wire;
  REQUIRE(sent.SerializeToString(&wire));
  v1::ProduceRequest received;
  REQUIRE(received.ParseFromString(wire));

  CHECK(received.correlation_id() == 42);
  CHECK(received.topic() == "orders");
  CHECK(received.partition() == 3);
  CHECK(received.acks() == v1::ACKS_ALL);
  CHECK(received.timeout_ms() == 1500);
  REQUIRE(received.records().batches().size() == batch.size());
  CHECK(received.records().batches() == batch);
}

TEST_CASE("unset fields read as the zero values the API documents", "[proto]") {
  const v1::ProduceRequest request;
  CHECK(request.acks() == v1::ACKS_UNSPECIFIED);  // treated as ACKS_ALL by the broker
  CHECK(request.timeout_ms() == 0);               // the broker's default

  const v1::ProduceResponse response;
  CHECK_FALSE(response.has_header());
  CHECK(response.header().error().code() == v1::NONE);  // unset error means success

  const v1::FetchedPartition fetched;
  CHECK_FALSE(fetched.has_out_of_range());
  CHECK(fetched.records().batches().empty());

  const v1::ResetOffsetsRequest reset;
  CHECK(reset.target_case() == v1::ResetOffsetsRequest::TARGET_NOT_SET);
}

TEST_CASE("an out-of-range fetch answer carries the valid range", "[proto]") {
  v1::FetchResponse message;
  v1::FetchedPartition* partition = message.add_partitions();
  partition->set_partition(0);
  partition->mutable_header()->mutable_error()->set_code(v1::OFFSET_OUT_OF_RANGE);
  partition->mutable_header()->mutable_error()->set_message("orders-0: offset 5 is below log start 400");
  partition->mutable_out_of_range()->set_requested_offset(5);
  partition->mutable_out_of_range()->set_log_start_offset(400);
  partition->mutable_out_of_range()->set_log_end_offset(900);

  v1::FetchResponse parsed;
  REQUIRE(parsed.ParseFromString(message.SerializeAsString()));
  REQUIRE(parsed.partitions_size() == 1);
  const v1::FetchedPartition& got = parsed.partitions(0);
  CHECK(got.header().error().code() == v1::OFFSET_OUT_OF_RANGE);
  CHECK(got.out_of_range().log_start_offset() == 400);
  CHECK(got.out_of_range().log_end_offset() == 900);
}

TEST_CASE("every native service has a client stub", "[proto][grpc]") {
  // Channels connect lazily: creating stubs needs no server.
  const std::shared_ptr<grpc::Channel> channel =
      grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());

  CHECK(v1::AdminService::NewStub(channel) != nullptr);
  CHECK(v1::MetadataService::NewStub(channel) != nullptr);
  CHECK(v1::ProduceService::NewStub(channel) != nullptr);
  CHECK(v1::FetchService::NewStub(channel) != nullptr);
  CHECK(v1::OffsetsService::NewStub(channel) != nullptr);
  CHECK(v1::GroupService::NewStub(channel) != nullptr);
}

TEST_CASE("a produce stream over loopback answers each acked request by correlation id",
          "[proto][grpc]") {
  EchoProduceService service;
  grpc::ServerBuilder builder;
  builder.RegisterService(&service);
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  const std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  REQUIRE(server != nullptr);
  const std::unique_ptr<v1::ProduceService::Stub> stub = v1::ProduceService::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));

  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = stub->Produce(&context);
  const std::string batch = batch_like_bytes();
  const std::vector<std::uint64_t> ids = {7, 8, 9};
  for (const std::uint64_t id : ids) {
    REQUIRE(stream->Write(make_produce_request(id, batch)));
  }
  v1::ProduceRequest fire_and_forget = make_produce_request(10, batch);
  fire_and_forget.set_acks(v1::ACKS_NONE);
  REQUIRE(stream->Write(fire_and_forget));
  REQUIRE(stream->WritesDone());

  std::vector<v1::ProduceResponse> answers;
  v1::ProduceResponse response;
  while (answers.size() <= ids.size() && stream->Read(&response)) answers.push_back(response);
  REQUIRE(stream->Finish().ok());

  REQUIRE(answers.size() == ids.size());  // no answer for ACKS_NONE
  for (std::size_t i = 0; i < ids.size(); ++i) {
    CHECK(answers[i].correlation_id() == ids[i]);
    CHECK(answers[i].base_offset() == static_cast<std::int64_t>(i) * 100);
    CHECK(answers[i].header().leader_id() == 1);
    CHECK(answers[i].header().leader_epoch() == 7);
  }
  server->Shutdown();
}
