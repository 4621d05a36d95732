#include "tests/integration/native_helpers.h"

#include "common/record_batch_builder.h"

namespace strata::testing {

std::shared_ptr<grpc::Channel> connect(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(8 << 20);
  args.SetMaxSendMessageSize(8 << 20);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

void set_deadline(grpc::ClientContext& context, std::chrono::milliseconds in) {
  context.set_deadline(std::chrono::system_clock::now() + in);
}

v1::CreateTopicResponse create_topic(grpc::Channel& channel, const std::string& name,
                                     std::int32_t partitions,
                                     const std::map<std::string, std::string>& configs) {
  auto stub = v1::AdminService::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](auto*) {}));
  grpc::ClientContext context;
  set_deadline(context);
  v1::CreateTopicRequest request;
  request.set_name(name);
  request.set_partitions(partitions);
  for (const auto& [k, v] : configs) (*request.mutable_configs())[k] = v;
  v1::CreateTopicResponse response;
  grpc::Status st = stub->CreateTopic(&context, request, &response);
  if (!st.ok()) response.mutable_error()->set_code(v1::INTERNAL);
  return response;
}

Buffer make_batch(const std::string& prefix, int records) {
  RecordBatchBuilder builder;
  for (int i = 0; i < records; ++i) {
    const std::string value = prefix + "-" + std::to_string(i);
    (void)builder.append(1700000000000 + i, std::nullopt, as_bytes(value));
  }
  return builder.build().value();
}

v1::ProduceRequest produce_request(std::uint64_t correlation_id, const std::string& topic,
                                   std::int32_t partition, const Buffer& batch, v1::Acks acks) {
  v1::ProduceRequest request;
  request.set_correlation_id(correlation_id);
  request.set_topic(topic);
  request.set_partition(partition);
  request.set_acks(acks);
  request.mutable_records()->set_batches(reinterpret_cast<const char*>(batch.data()), batch.size());
  return request;
}

std::vector<v1::ProduceResponse> produce(grpc::Channel& channel,
                                         const std::vector<v1::ProduceRequest>& requests) {
  auto stub = v1::ProduceService::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](auto*) {}));
  grpc::ClientContext context;
  set_deadline(context);
  auto stream = stub->Produce(&context);
  for (const auto& r : requests) {
    if (!stream->Write(r)) break;
  }
  stream->WritesDone();
  std::vector<v1::ProduceResponse> out;
  v1::ProduceResponse response;
  while (stream->Read(&response)) out.push_back(response);
  if (!stream->Finish().ok()) out.clear();
  return out;
}

std::vector<v1::FetchResponse> fetch_until(
    grpc::Channel& channel, const v1::FetchRequest& request,
    const std::function<bool(const std::vector<v1::FetchResponse>&)>& done,
    std::chrono::milliseconds timeout) {
  auto stub = v1::FetchService::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](auto*) {}));
  grpc::ClientContext context;
  set_deadline(context, timeout);
  auto reader = stub->Fetch(&context, request);
  std::vector<v1::FetchResponse> out;
  v1::FetchResponse message;
  while (reader->Read(&message)) {
    out.push_back(message);
    if (done(out)) {
      context.TryCancel();
      break;
    }
  }
  while (reader->Read(&message)) {
  }
  (void)reader->Finish();
  return out;
}

std::string as_string(const Buffer& bytes) { return std::string(as_string_view(bytes)); }

v1::FetchRequest fetch_request(const std::string& topic, std::int32_t partition,
                               std::int64_t offset, std::int32_t max_wait_ms) {
  v1::FetchRequest request;
  request.set_topic(topic);
  request.set_max_wait_ms(max_wait_ms);
  v1::FetchPartition* p = request.add_partitions();
  p->set_partition(partition);
  p->set_offset(offset);
  return request;
}

std::string fetched_bytes(const std::vector<v1::FetchResponse>& messages, std::int32_t partition) {
  std::string out;
  for (const auto& m : messages) {
    for (const auto& p : m.partitions()) {
      if (p.partition() == partition) out += p.records().batches();
    }
  }
  return out;
}

}  // namespace strata::testing
