// The per-request decode budget (decode_budget_bytes, Reader::set_memory_budget):
// a frame of tiny elements is refused before its vectors are allocated, while
// the largest requests real clients send still decode.

#include <catch2/catch.hpp>

#include <cstdio>
#include <string>

#include "broker/kafka/protocol/frame.h"
#include "broker/kafka/protocol/request.h"

namespace strata::kafka {
namespace {

void put_be32(Buffer& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::byte>(v >> shift));
}

void put_unsigned_varint(Buffer& out, std::uint32_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::byte>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::byte>(v));
}

// A Metadata v4 body naming `count` topics, each an empty (int16 0) name.
Buffer metadata_v4_of_empty_names(std::uint32_t count) {
  Buffer body;
  put_be32(body, count);
  body.resize(body.size() + 2 * std::size_t{count}, std::byte{0});
  body.push_back(std::byte{1});  // allow_auto_topic_creation
  return body;
}

// Encodes `body` with a header for (key, version), decodes the frame whole
// and requires the same body back (decoded records borrow `frame`).
template <typename Body>
void require_round_trip(ApiKey key, std::int16_t version, const Body& body) {
  Buffer frame;
  const RequestHeader header{to_int(key), version, 7, "budget-test"};
  REQUIRE(append_request(frame, header, RequestBody{body}).ok());
  Result<Request> decoded = decode_request(ByteSpan(frame).subspan(kFrameSizeBytes));
  INFO((decoded.ok() ? std::string("ok") : decoded.status().to_string()));
  REQUIRE(decoded.ok());
  CHECK(std::get<Body>(decoded->body) == body);
}

std::string numbered(const char* prefix, int i) {
  char name[32];
  std::snprintf(name, sizeof name, "%s%06d", prefix, i);
  return name;
}

TEST_CASE("the decode budget is a floor for small bodies and a multiple of large ones",
          "[kafka][protocol][budget]") {
  CHECK(decode_budget_bytes(0) == kDecodeBudgetFloorBytes);
  CHECK(decode_budget_bytes(1000) == kDecodeBudgetFloorBytes);
  CHECK(decode_budget_bytes(kDecodeBudgetFloorBytes / kDecodeBudgetPerBodyByte) ==
        kDecodeBudgetFloorBytes);
  const std::size_t max_body = static_cast<std::size_t>(kDefaultMaxFrameBytes);
  CHECK(decode_budget_bytes(max_body) == max_body * kDecodeBudgetPerBodyByte);
}

TEST_CASE("a reader charges array slots and heap strings against its budget",
          "[kafka][protocol][budget]") {
  // Three empty strings: 3 slots of sizeof(std::string), no heap.
  const Buffer three_empty{std::byte{0}, std::byte{0}, std::byte{0}, std::byte{3},
                           std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},
                           std::byte{0}, std::byte{0}};
  {
    Reader in(three_empty, /*flexible=*/false);
    in.set_memory_budget(3 * sizeof(std::string));
    std::vector<std::string> names;
    in.string_array(names);
    REQUIRE(in.ok());
    CHECK(names.size() == 3);
    CHECK(in.materialised_bytes() == 3 * sizeof(std::string));
  }
  {
    Reader in(three_empty, /*flexible=*/false);
    in.set_memory_budget(3 * sizeof(std::string) - 1);
    std::vector<std::string> names;
    in.string_array(names);
    REQUIRE_FALSE(in.ok());
    CHECK(in.status().code() == ErrorCode::corruption);
    CHECK(names.capacity() == 0);  // refused before the vector was allocated
    CHECK(in.materialised_bytes() == 0);
  }
  {
    // A string too long for the small-string buffer and a bytes field are
    // charged their length plus the heap block overhead.
    const std::string long_text(100, 'x');
    Buffer buf;
    buf.push_back(std::byte{0});
    buf.push_back(std::byte{100});
    for (char ch : long_text) buf.push_back(static_cast<std::byte>(ch));
    put_be32(buf, 5);
    for (int i = 0; i < 5; ++i) buf.push_back(std::byte{9});
    Reader in(buf, /*flexible=*/false);
    std::string s;
    Buffer b;
    in.string(s);
    in.bytes(b);
    REQUIRE(in.ok());
    CHECK(s == long_text);
    CHECK(in.materialised_bytes() ==
          (100 + 1 + Reader::kHeapBlockOverheadBytes) + (5 + Reader::kHeapBlockOverheadBytes));
  }
}

TEST_CASE("a Metadata request of more empty topic names than its budget allows is refused",
          "[kafka][protocol][budget]") {
  // 2 million empty names: a 4 MB body that would be 64 MB of std::strings.
  constexpr std::uint32_t kNames = 2'000'000;
  const Buffer body = metadata_v4_of_empty_names(kNames);
  REQUIRE(kNames * sizeof(MetadataRequest::Topic) > decode_budget_bytes(body.size()));

  const RequestHeader header{to_int(ApiKey::metadata), 4, 1, "hostile"};
  Result<RequestBody> decoded = decode_request_body(header, body);
  REQUIRE_FALSE(decoded.ok());
  // The path every malformed body takes (the listener closes the connection).
  CHECK(decoded.status().code() == ErrorCode::corruption);
  const std::string& message = decoded.status().message();
  INFO(message);
  CHECK(message.find("decode budget of " + std::to_string(decode_budget_bytes(body.size()))) !=
        std::string::npos);
  // Refused at the array count, byte 4: no topic was materialised.
  CHECK(message.find("at byte 4 of " + std::to_string(body.size())) != std::string::npos);
  CHECK(message.find("Metadata v4") != std::string::npos);
}

TEST_CASE("a request frame of the maximum size filled with empty topic names allocates nothing "
          "for them", "[kafka][protocol][budget]") {
  // 100 MiB of empty names (52 million) would decode to 1.6 GB of Topic slots,
  // twice the 800 MiB budget of such a frame.
  const std::size_t body_bytes = static_cast<std::size_t>(kDefaultMaxFrameBytes) - 64;
  const auto names = static_cast<std::uint32_t>((body_bytes - 5) / 2);
  const Buffer body = metadata_v4_of_empty_names(names);
  REQUIRE(body.size() <= body_bytes);

  Reader in(body, /*flexible=*/false);
  in.set_memory_budget(decode_budget_bytes(body.size()));
  MetadataRequest request;
  read(in, 4, request);
  REQUIRE_FALSE(in.ok());
  CHECK(in.status().code() == ErrorCode::corruption);
  CHECK(in.position() == 4);
  CHECK(in.materialised_bytes() == 0);
  CHECK_FALSE(request.topics.has_value());

  const RequestHeader header{to_int(ApiKey::metadata), 4, 1, "hostile"};
  CHECK(decode_request_body(header, body).status().code() == ErrorCode::corruption);
}

TEST_CASE("a flexible request of one-byte compact strings over its budget is refused",
          "[kafka][protocol][budget]") {
  // ListGroups v4 states_filter: each empty compact string is one byte on
  // the wire and a 32-byte std::string in memory.
  constexpr std::uint32_t kStates = 4'000'000;
  Buffer body;
  put_unsigned_varint(body, kStates + 1);
  body.resize(body.size() + kStates, std::byte{1});
  body.push_back(std::byte{0});  // tagged fields
  REQUIRE(kStates * sizeof(std::string) > decode_budget_bytes(body.size()));

  const RequestHeader header{to_int(ApiKey::list_groups), 4, 1, "hostile"};
  Result<RequestBody> decoded = decode_request_body(header, body);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().code() == ErrorCode::corruption);
  CHECK(decoded.status().message().find("decode budget") != std::string::npos);

  // The same shape within the budget decodes.
  constexpr std::uint32_t kFewStates = 100'000;
  Buffer small;
  put_unsigned_varint(small, kFewStates + 1);
  small.resize(small.size() + kFewStates, std::byte{1});
  small.push_back(std::byte{0});
  Result<RequestBody> ok = decode_request_body(header, small);
  REQUIRE(ok.ok());
  CHECK(std::get<ListGroupsRequest>(*ok).states_filter.size() == kFewStates);
}

TEST_CASE("a Metadata request for 10,000 topics decodes", "[kafka][protocol][budget]") {
  MetadataRequest request;
  request.topics.emplace();
  for (int i = 0; i < 10'000; ++i) request.topics->push_back({numbered("topic-", i)});
  require_round_trip(ApiKey::metadata, 4, request);
}

TEST_CASE("an OffsetCommit of 100,000 partitions across 100 topics decodes",
          "[kafka][protocol][budget]") {
  OffsetCommitRequest request;
  request.group_id = "big-group";
  request.generation_id_or_member_epoch = 3;
  request.member_id = "member-1";
  for (int t = 0; t < 100; ++t) {
    auto& topic = request.topics.emplace_back();
    topic.name = numbered("orders-", t);
    for (int p = 0; p < 1000; ++p) {
      topic.partitions.push_back({p, 1000 + p, 2, -1, std::string()});
    }
  }
  require_round_trip(ApiKey::offset_commit, 7, request);
}

TEST_CASE("a Produce request to 5,000 partitions decodes", "[kafka][protocol][budget]") {
  static const Buffer kBatch(200, std::byte{0x2a});
  ProduceRequest request;
  request.acks = -1;
  request.timeout_ms = 30000;
  for (int t = 0; t < 50; ++t) {
    auto& topic = request.topic_data.emplace_back();
    topic.name = numbered("events-", t);
    for (int p = 0; p < 100; ++p) topic.partition_data.push_back({p, Records::of(kBatch)});
  }
  require_round_trip(ApiKey::produce, 7, request);
}

TEST_CASE("a request above the budget floor decodes when it stays within the per-byte multiple",
          "[kafka][protocol][budget]") {
  // 600,000 OffsetCommit partitions: over the 32 MiB floor in memory, well
  // under 8x their ~11 MB body.
  OffsetCommitRequest request;
  request.group_id = "huge-group";
  request.member_id = "member-1";
  for (int t = 0; t < 6; ++t) {
    auto& topic = request.topics.emplace_back();
    topic.name = numbered("clicks-", t);
    for (int p = 0; p < 100'000; ++p) topic.partitions.push_back({p, p, 0, -1, std::nullopt});
  }
  REQUIRE(600'000 * sizeof(OffsetCommitRequest::Topic::Partition) > kDecodeBudgetFloorBytes);
  require_round_trip(ApiKey::offset_commit, 7, request);
}

}  // namespace
}  // namespace strata::kafka
