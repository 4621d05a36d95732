// Bad input against the real broker: each is answered with its error (or
// the connection is dropped) and nothing else is disturbed — after each, the
// partition still serves every earlier record byte for byte.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <httplib.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/record_batch.h"
#include "tests/integration/native_helpers.h"
#include "tests/support/broker_process.h"
#include "tests/support/wait.h"

extern char** environ;

namespace strata::testing {
namespace {

using namespace std::chrono_literals;

// The default max.message.bytes (1 MiB + the 12-byte log overhead, as Kafka).
constexpr std::size_t kDefaultMaxMessageBytes = 1048588;

std::string stored(Buffer batch, std::int64_t base_offset) {
  set_base_offset(batch, Offset(base_offset));
  set_partition_leader_epoch(batch, LeaderEpoch(0));  // the replica's epoch (standalone: 0)
  return as_string(batch);
}

// Everything in the partition from offset 0, read until `bytes` bytes came.
std::string fetch_from_start(grpc::Channel& channel, const std::string& topic,
                             std::int32_t partition, std::size_t bytes) {
  auto messages = fetch_until(channel, fetch_request(topic, partition, 0), [&](const auto& so_far) {
    return fetched_bytes(so_far, partition).size() >= bytes;
  });
  return fetched_bytes(messages, partition);
}

v1::ErrorCode produce_code(grpc::Channel& channel, const v1::ProduceRequest& request) {
  auto answers = produce(channel, {request});
  return answers.size() == 1 ? answers[0].header().error().code() : v1::INTERNAL;
}

v1::DescribeTopicResponse describe(grpc::Channel& channel, const std::string& topic) {
  auto stub = v1::AdminService::NewStub(std::shared_ptr<grpc::Channel>(&channel, [](auto*) {}));
  grpc::ClientContext context;
  set_deadline(context);
  v1::DescribeTopicRequest request;
  request.set_name(topic);
  v1::DescribeTopicResponse response;
  if (!stub->DescribeTopic(&context, request, &response).ok()) {
    response.mutable_error()->set_code(v1::INTERNAL);
  }
  return response;
}

// The log the test expects in topic "t" partition 0, and the check that the
// broker still serves all of it.
class ExpectedLog {
 public:
  explicit ExpectedLog(grpc::Channel& channel) : channel_(channel) {}

  // Produces `batch` with acks=all and remembers it.
  void append(const Buffer& batch) {
    auto answers = produce(channel_, {produce_request(next_id_++, "t", 0, batch)});
    REQUIRE(answers.size() == 1);
    REQUIRE(answers[0].header().error().code() == v1::NONE);
    REQUIRE(answers[0].base_offset() == end_);
    accepted(batch, end_);
  }
  // Remembers `batch`, produced some other way at `base_offset`.
  void accepted(const Buffer& batch, std::int64_t base_offset) {
    REQUIRE(base_offset == end_);
    bytes_ += stored(batch, base_offset);
    end_ += parse_batch_header(batch).value().record_count;
  }

  bool served() const { return fetch_from_start(channel_, "t", 0, bytes_.size()) == bytes_; }
  std::int64_t end() const { return end_; }

 private:
  grpc::Channel& channel_;
  std::string bytes_;
  std::int64_t end_ = 0;
  std::uint64_t next_id_ = 1;
};

// Raises this process's fd limit to at least `needed` (the broker, started
// after, inherits it): the soft limit up to the hard one, and the hard one too
// where the process may (CAP_SYS_RESOURCE). Returns the soft limit now in
// force, which may still be below `needed`.
rlim_t raise_fd_limit(rlim_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return 0;
  if (limit.rlim_cur >= needed) return limit.rlim_cur;
  rlimit wanted = limit;
  wanted.rlim_cur = needed;
  if (wanted.rlim_max < needed) wanted.rlim_max = needed;
  if (setrlimit(RLIMIT_NOFILE, &wanted) != 0) {
    wanted = limit;
    wanted.rlim_cur = limit.rlim_max;
    (void)setrlimit(RLIMIT_NOFILE, &wanted);
  }
  (void)getrlimit(RLIMIT_NOFILE, &limit);
  return limit.rlim_cur;
}

// Opens `count` TCP connections to `address` ("127.0.0.1:PORT") at once
// (non-blocking connects, then waits for all). Returns the connected
// sockets; the caller closes them.
std::vector<int> connect_raw(const std::string& address, std::size_t count) {
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(address.find(':') + 1))));
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::vector<int> fds;
  for (std::size_t i = 0; i < count; ++i) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) break;
    fds.push_back(fd);
    (void)::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof(to));
  }
  std::vector<int> connected;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  for (int fd : fds) {
    pollfd p{fd, POLLOUT, 0};
    int error = -1;
    socklen_t length = sizeof(error);
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (::poll(&p, 1, static_cast<int>(std::max<std::int64_t>(0, left.count()))) == 1 &&
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 && error == 0) {
      connected.push_back(fd);
    } else {
      ::close(fd);
    }
  }
  return connected;
}

// A child process running this binary's hidden test `test_name` with extra
// environment variables; killed (SIGKILL) and reaped on scope exit.
class ChildProcess {
 public:
  ChildProcess(const std::string& test_name, const std::vector<std::string>& env) {
    std::vector<std::string> vars;
    for (char** e = environ; *e != nullptr; ++e) vars.emplace_back(*e);
    vars.insert(vars.end(), env.begin(), env.end());
    std::vector<char*> envp;
    for (auto& v : vars) envp.push_back(v.data());
    envp.push_back(nullptr);
    std::string exe = std::filesystem::read_symlink("/proc/self/exe").string();
    std::string name = test_name;
    std::vector<char*> argv = {exe.data(), name.data(), nullptr};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
  }
  ~ChildProcess() { kill(); }
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool started() const { return pid_ > 0; }
  void kill() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    int status = 0;
    (void)waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
};

// Reads from `fd` until `marker` arrived or `timeout` passed.
bool read_marker(int fd, const std::string& marker, std::chrono::milliseconds timeout) {
  std::string got;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (got.find(marker) == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) != 1) return false;
    char buffer[64];
    const ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n <= 0) return false;
    got.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

// Every batch in `bytes` is whole and valid and they hold offsets 0..end-1
// in order.
bool whole_valid_batches(const std::string& bytes, std::int64_t end) {
  ByteSpan rest = as_bytes(bytes);
  std::int64_t next = 0;
  while (!rest.empty()) {
    auto view = RecordBatchView::validate(rest);
    if (!view.ok() || view->header().base_offset.value() != next) return false;
    next = view->header().next_offset().value();
    rest = rest.subspan(view->header().size_bytes());
  }
  return next == end;
}

constexpr const char* kChildTest = "child: streams produce requests and a long-poll fetch until killed";

}  // namespace

TEST_CASE("each kind of bad input gets its error and the partition keeps every earlier record",
          "[integration][robustness]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 1).error().code() == v1::NONE);
  ExpectedLog log(*channel);
  log.append(make_batch("first", 5));
  REQUIRE(log.served());

  SECTION("unknown topic: produce, fetch, describe") {
    CHECK(produce_code(*channel, produce_request(1, "nope", 0, make_batch("x", 1))) ==
          v1::UNKNOWN_TOPIC);
    auto fetched = fetch_until(*channel, fetch_request("nope", 0, 0), [](const auto&) { return true; });
    REQUIRE(fetched.size() == 1);
    CHECK(fetched[0].error().code() == v1::UNKNOWN_TOPIC);
    CHECK(describe(*channel, "nope").error().code() == v1::UNKNOWN_TOPIC);
  }
  SECTION("invalid names: refused at create, unknown at produce, nothing on disk") {
    const std::vector<std::string> names = {"", ".", "..", "../t", "t/../../x", std::string(250, 'a'), "a b"};
    for (const std::string& name : names) {
      INFO("name '" << name << "'");
      CHECK(create_topic(*channel, name, 1).error().code() == v1::INVALID_TOPIC_NAME);
      if (!name.empty()) {
        CHECK(produce_code(*channel, produce_request(1, name, 0, make_batch("x", 1))) ==
              v1::UNKNOWN_TOPIC);
      }
    }
    CHECK_FALSE(std::filesystem::exists(broker.data_dir().parent_path() / "x-0"));
    CHECK_FALSE(std::filesystem::exists(broker.data_dir() / "..-0"));
  }
  SECTION("bad batches: CRC, truncated, trailing bytes, garbage, empty") {
    Buffer bad_crc = make_batch("bad", 3);
    bad_crc.back() ^= std::byte{0x5a};
    Buffer truncated = make_batch("cut", 3);
    truncated.resize(truncated.size() - 4);
    Buffer trailing = make_batch("tail", 3);
    trailing.push_back(std::byte{0});
    Buffer garbage(100, std::byte{0x41});
    struct Case {
      std::string what;
      Buffer batch;
      v1::ErrorCode code;
    };
    const std::vector<Case> cases = {{"bad CRC", bad_crc, v1::CORRUPT_RECORD},
                                     {"truncated", truncated, v1::CORRUPT_RECORD},
                                     {"trailing bytes", trailing, v1::INVALID_RECORD},
                                     {"garbage", garbage, v1::CORRUPT_RECORD},
                                     {"empty", Buffer(), v1::CORRUPT_RECORD}};
    std::vector<v1::ProduceRequest> requests;
    for (std::size_t i = 0; i < cases.size(); ++i) {
      requests.push_back(produce_request(i, "t", 0, cases[i].batch));
    }
    auto answers = produce(*channel, requests);
    REQUIRE(answers.size() == cases.size());
    for (const auto& answer : answers) {
      const Case& c = cases[answer.correlation_id()];
      INFO(c.what << ": " << answer.header().error().message());
      CHECK(answer.header().error().code() == c.code);
      CHECK_FALSE(answer.header().error().message().empty());
    }
  }
  SECTION("a batch over the default max.message.bytes is refused; the stream goes on") {
    const Buffer big = make_batch(std::string(kDefaultMaxMessageBytes, 'x'), 1);
    REQUIRE(big.size() > kDefaultMaxMessageBytes);
    const Buffer after = make_batch("same-stream", 2);
    auto answers = produce(*channel, {produce_request(1, "t", 0, big), produce_request(2, "t", 0, after)});
    REQUIRE(answers.size() == 2);
    CHECK(answers[0].header().error().code() == v1::RECORD_TOO_LARGE);
    CHECK(answers[0].header().error().message().find("max.message.bytes") != std::string::npos);
    REQUIRE(answers[1].header().error().code() == v1::NONE);
    log.accepted(after, answers[1].base_offset());
    auto stub = v1::ProduceService::NewStub(channel);
    {
      // Past the gRPC message limit, the call itself fails.
      grpc::ClientContext context;
      set_deadline(context);
      auto stream = stub->Produce(&context);
      (void)stream->Write(produce_request(3, "t", 0, make_batch(std::string(3 << 20, 'y'), 1)));
      stream->WritesDone();
      v1::ProduceResponse response;
      while (stream->Read(&response)) {
      }
      CHECK(stream->Finish().error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);
    }
  }
  SECTION("fetch streams cancelled while waiting and while reading") {
    auto stub = v1::FetchService::NewStub(channel);
    for (int i = 0; i < 20; ++i) {
      grpc::ClientContext context;
      set_deadline(context);
      // Even: parked at the end (long poll); odd: reading from the start.
      auto reader = stub->Fetch(&context, fetch_request("t", 0, i % 2 == 0 ? log.end() : 0, 30000));
      v1::FetchResponse message;
      if (i % 2 == 1) (void)reader->Read(&message);
      context.TryCancel();
      while (reader->Read(&message)) {
      }
      CHECK(reader->Finish().error_code() == grpc::StatusCode::CANCELLED);
    }
  }
  CHECK(log.served());
  log.append(make_batch("last", 2));
  CHECK(log.served());
}

TEST_CASE("a client killed mid-stream (produce and long-poll fetch) disturbs nothing",
          "[integration][robustness]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 2).error().code() == v1::NONE);
  ExpectedLog log(*channel);
  log.append(make_batch("before", 4));

  int ready[2];
  REQUIRE(pipe2(ready, O_CLOEXEC) == 0);
  // The child's end must survive exec: a duplicate without O_CLOEXEC.
  const int child_fd = dup(ready[1]);
  REQUIRE(child_fd >= 0);
  {
    ChildProcess child(kChildTest, {"STRATA_CHILD_BROKER=" + broker.native_address(),
                                    "STRATA_CHILD_READY_FD=" + std::to_string(child_fd),
                                    "STRATA_CHILD_FETCH_OFFSET=" + std::to_string(log.end())});
    ::close(child_fd);
    ::close(ready[1]);
    REQUIRE(child.started());
    // Killed once its produce stream has answers and more requests on the wire.
    CHECK(read_marker(ready[0], "streaming", 60s));
    child.kill();
  }
  ::close(ready[0]);

  CHECK(log.served());
  // Partition 1 holds what the child got appended: whole batches only, and
  // it takes new ones at its end.
  std::int64_t end = -1;
  REQUIRE(wait_until([&] {
    auto described = describe(*channel, "t");
    if (described.partitions_size() != 2) return false;
    end = described.partitions(1).log_end_offset();
    return described.partitions(1).high_watermark() == end;  // the last fsync done
  }));
  CHECK(end > 0);
  auto messages = fetch_until(*channel, fetch_request("t", 1, 0), [&](const auto& so_far) {
    return whole_valid_batches(fetched_bytes(so_far, 1), end);
  });
  CHECK(whole_valid_batches(fetched_bytes(messages, 1), end));
  auto answers = produce(*channel, {produce_request(1, "t", 1, make_batch("after", 2))});
  REQUIRE(answers.size() == 1);
  CHECK(answers[0].header().error().code() == v1::NONE);
  CHECK(answers[0].base_offset() == end);
  log.append(make_batch("after", 2));
  CHECK(log.served());
}

TEST_CASE(kChildTest, "[.][child]") {
  const char* address = std::getenv("STRATA_CHILD_BROKER");
  const char* ready_fd = std::getenv("STRATA_CHILD_READY_FD");
  const char* fetch_offset = std::getenv("STRATA_CHILD_FETCH_OFFSET");
  if (address == nullptr || ready_fd == nullptr || fetch_offset == nullptr) return;
  const int fd = std::atoi(ready_fd);
  auto channel = connect(address);
  // A fetch parked at the end of partition 0, which nobody changes.
  auto fetch_stub = v1::FetchService::NewStub(channel);
  grpc::ClientContext fetch_context;
  auto fetch = fetch_stub->Fetch(&fetch_context, fetch_request("t", 0, std::atoll(fetch_offset), 60000));
  // A produce stream to partition 1 that keeps writing until killed.
  auto produce_stub = v1::ProduceService::NewStub(channel);
  grpc::ClientContext context;
  auto stream = produce_stub->Produce(&context);
  std::atomic<int> answered{0};
  std::thread reader([&] {
    v1::ProduceResponse response;
    while (stream->Read(&response)) ++answered;
  });
  bool told = false;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  for (std::uint64_t i = 0; i < 100000 && std::chrono::steady_clock::now() < deadline; ++i) {
    if (!stream->Write(produce_request(i, "t", 1, make_batch("child-" + std::to_string(i), 5)))) break;
    if (!told && answered.load() > 0) {
      told = ::write(fd, "streaming\n", 10) == 10;
    }
  }
  // Only reached when the parent did not kill this process in time.
  context.TryCancel();
  fetch_context.TryCancel();
  reader.join();
  (void)stream->Finish();
  v1::FetchResponse message;
  while (fetch->Read(&message)) {
  }
  (void)fetch->Finish();
}

TEST_CASE("a thousand clients connecting at once are all served and the broker stays healthy",
          "[integration][robustness]") {
#ifdef __SANITIZE_THREAD__
  const std::size_t clients = 200;  // TSan makes each gRPC handshake several times slower
#else
  const std::size_t clients = 1000;
#endif
  // Each client is a socket here and one in the broker, plus some spare. A
  // limit this process cannot raise fails the test rather than testing fewer.
  const rlim_t needed = 2 * clients + 512;
  if (const rlim_t fd_limit = raise_fd_limit(needed); fd_limit < needed) {
    FAIL("RLIMIT_NOFILE is " << fd_limit << " and this process cannot raise it to " << needed
                             << " (raise the hard limit: ulimit -Hn)");
  }
  BrokerProcess broker;
  REQUIRE(broker.start());
  auto channel = connect(broker.native_address());
  REQUIRE(create_topic(*channel, "t", 1).error().code() == v1::NONE);
  ExpectedLog log(*channel);
  log.append(make_batch("before", 10));
  const auto started = std::chrono::steady_clock::now();

  {
    // Raw TCP: all connected at once; half send bytes that are not HTTP/2.
    std::vector<int> sockets = connect_raw(broker.native_address(), clients);
    CHECK(sockets.size() == clients);
    for (std::size_t i = 0; i < sockets.size(); i += 2) {
      (void)::send(sockets[i], "GET / HTTP/1.1\r\n\r\n", 18, MSG_NOSIGNAL);
    }
    for (int fd : sockets) ::close(fd);
  }
  CHECK(log.served());

  // gRPC: one channel (its own connection) per client, every call in flight
  // at once.
  struct Client {
    std::shared_ptr<grpc::Channel> channel;
    std::unique_ptr<v1::AdminService::Stub> stub;
    grpc::ClientContext context;
    v1::DescribeTopicRequest request;
    v1::DescribeTopicResponse response;
    grpc::Status status;
  };
  std::vector<std::unique_ptr<Client>> all;
  for (std::size_t i = 0; i < clients; ++i) {
    auto c = std::make_unique<Client>();
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    c->channel = grpc::CreateCustomChannel(broker.native_address(),
                                           grpc::InsecureChannelCredentials(), args);
    c->stub = v1::AdminService::NewStub(c->channel);
    set_deadline(c->context, 60s);
    c->request.set_name("t");
    all.push_back(std::move(c));
  }
  std::atomic<std::size_t> done{0};
  for (auto& c : all) {
    Client* raw = c.get();
    raw->stub->async()->DescribeTopic(&raw->context, &raw->request, &raw->response,
                                      [raw, &done](grpc::Status status) {
                                        raw->status = std::move(status);
                                        done.fetch_add(1);
                                      });
  }
  const bool answered = wait_until([&] { return done.load() == clients; }, 90s, 20ms);
  INFO(done.load() << " of " << clients << " calls answered");
  REQUIRE(answered);
  std::size_t served = 0;
  std::string first_failure;
  for (const auto& c : all) {
    if (c->status.ok() && c->response.error().code() == v1::NONE &&
        c->response.partitions_size() == 1 &&
        c->response.partitions(0).log_end_offset() == log.end()) {
      ++served;
    } else if (first_failure.empty()) {
      first_failure = c->status.error_message() + " / " + c->response.error().message();
    }
  }
  INFO("first failure: " << first_failure);
  CHECK(served == clients);
  all.clear();
  INFO("elapsed " << std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::steady_clock::now() - started).count() << " ms");

  httplib::Client http("http://" + broker.http_address());
  auto health = http.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  CHECK(log.served());
  log.append(make_batch("after", 3));
  CHECK(log.served());
  CHECK(broker.stop() == 0);
}

}  // namespace strata::testing
