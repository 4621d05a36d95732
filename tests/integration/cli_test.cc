// The strata CLI binary against a real strata-broker: happy paths and the
// error exits (status and stderr).

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/support/broker_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

extern char** environ;

namespace strata::testing {
namespace {

struct CliRun {
  int exit_code = -1;  // -1: killed at the deadline
  std::string out;
  std::string err;
};

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Runs the strata binary with `args`, `input` on stdin; kills it after 30 s.
CliRun run_cli(const std::vector<std::string>& args, const std::string& input = "") {
  static int run_number = 0;
  TempDir dir("strata-cli");
  const std::filesystem::path in_path = dir / "stdin";
  const std::filesystem::path out_path = dir / "stdout";
  const std::filesystem::path err_path = dir / "stderr";
  std::ofstream(in_path, std::ios::binary) << input;
  ++run_number;

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in_path.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<std::string> argv_strings{STRATA_CLI_PATH};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(rc == 0);

  CliRun run;
  int status = 0;
  const bool exited = wait_until(
      [&] { return waitpid(pid, &status, WNOHANG) == pid; }, std::chrono::seconds(30));
  if (!exited) {
    ::kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
  } else if (WIFEXITED(status)) {
    run.exit_code = WEXITSTATUS(status);
  }
  run.out = read_file(out_path);
  run.err = read_file(err_path);
  return run;
}

std::vector<std::string> with_broker(const BrokerProcess& broker, std::vector<std::string> args) {
  args.insert(args.begin(), {"--broker", broker.native_address()});
  return args;
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("strata topic commands create, list, describe, grow and delete a topic",
          "[integration][cli]") {
  BrokerProcess broker;
  REQUIRE(broker.start());

  CliRun created = run_cli(with_broker(broker, {"topic", "create", "orders", "--partitions", "3",
                                                "--config", "retention.ms=60000"}));
  INFO(created.err);
  REQUIRE(created.exit_code == 0);
  CHECK(contains(created.out, "orders"));

  CliRun listed = run_cli(with_broker(broker, {"topic", "list"}));
  REQUIRE(listed.exit_code == 0);
  CHECK(contains(listed.out, "orders"));

  CliRun json_list = run_cli(with_broker(broker, {"--output", "json", "topic", "list"}));
  REQUIRE(json_list.exit_code == 0);
  CHECK(contains(json_list.out, "\"name\":\"orders\""));
  CHECK(contains(json_list.out, "\"partitions\":3"));

  CliRun described = run_cli(with_broker(broker, {"topic", "describe", "orders"}));
  REQUIRE(described.exit_code == 0);
  CHECK(contains(described.out, "partitions 3"));
  CHECK(contains(described.out, "retention.ms"));

  CliRun grown =
      run_cli(with_broker(broker, {"topic", "add-partitions", "orders", "--count", "2"}));
  INFO(grown.err);
  REQUIRE(grown.exit_code == 0);
  CHECK(contains(grown.out, "3 -> 5"));

  CliRun deleted = run_cli(with_broker(broker, {"topic", "delete", "orders"}));
  REQUIRE(deleted.exit_code == 0);
  CliRun after = run_cli(with_broker(broker, {"topic", "list"}));
  INFO(after.err);
  REQUIRE(after.exit_code == 0);
  CHECK_FALSE(contains(after.out, "orders"));
}

TEST_CASE("strata produce and consume carry stdin lines through a group and its offsets",
          "[integration][cli]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  REQUIRE(run_cli(with_broker(broker, {"topic", "create", "events", "--partitions", "1"}))
              .exit_code == 0);

  CliRun produced = run_cli(with_broker(broker, {"produce", "events", "--key-separator", ":",
                                                 "--acks", "all"}),
                            "k1:first\nk2:second\nk3:third\n");
  INFO(produced.err);
  REQUIRE(produced.exit_code == 0);

  CliRun consumed = run_cli(with_broker(broker, {"consume", "events", "--group", "g1",
                                                 "--from-beginning", "--max-messages", "2",
                                                 "--print-key", "--print-offset"}));
  INFO(consumed.err);
  REQUIRE(consumed.exit_code == 0);
  CHECK(consumed.out == "0:0\tk1\tfirst\n0:1\tk2\tsecond\n");

  CliRun offsets = run_cli(with_broker(broker, {"--output", "json", "group", "offsets", "g1"}));
  INFO(offsets.err);
  REQUIRE(offsets.exit_code == 0);
  CHECK(contains(offsets.out, "\"committed\":2"));
  CHECK(contains(offsets.out, "\"lag\":1"));

  // The group resumes after what it committed.
  CliRun rest = run_cli(with_broker(broker, {"consume", "events", "--group", "g1",
                                             "--max-messages", "1"}));
  REQUIRE(rest.exit_code == 0);
  CHECK(rest.out == "third\n");

  CliRun reset = run_cli(with_broker(broker, {"group", "reset", "g1", "--topic", "events",
                                              "--to-earliest"}));
  INFO(reset.err);
  REQUIRE(reset.exit_code == 0);
  CliRun again = run_cli(with_broker(broker, {"consume", "events", "--group", "g1",
                                              "--max-messages", "3"}));
  REQUIRE(again.exit_code == 0);
  CHECK(again.out == "first\nsecond\nthird\n");

  CliRun by_offset = run_cli(with_broker(broker, {"consume", "events", "--partition", "0",
                                                  "--offset", "2", "--max-messages", "1"}));
  REQUIRE(by_offset.exit_code == 0);
  CHECK(by_offset.out == "third\n");

  CliRun info = run_cli(with_broker(broker, {"broker", "info"}));
  REQUIRE(info.exit_code == 0);
  CHECK(contains(info.out, "node id"));
}

TEST_CASE("strata exits non-zero with a clear message on bad input and broker errors",
          "[integration][cli]") {
  BrokerProcess broker;
  REQUIRE(broker.start());
  REQUIRE(run_cli(with_broker(broker, {"topic", "create", "taken"})).exit_code == 0);

  SECTION("invalid topic names are refused before anything is sent") {
    for (const std::string& name : {std::string("."), std::string(".."), std::string(250, 'a'),
                                    std::string("bad/name"), std::string("spa ce")}) {
      CliRun run = run_cli(with_broker(broker, {"topic", "create", name}));
      INFO(name);
      CHECK(run.exit_code == 2);
      CHECK(contains(run.err, "invalid topic name"));
    }
    CliRun empty = run_cli(with_broker(broker, {"topic", "create", ""}));
    CHECK(empty.exit_code == 2);
  }
  SECTION("a partition count below 1 is a usage error") {
    CliRun run = run_cli(with_broker(broker, {"topic", "create", "t0", "--partitions", "0"}));
    CHECK(run.exit_code == 2);
    CHECK(contains(run.err, "--partitions"));
  }
  SECTION("an existing topic") {
    CliRun run = run_cli(with_broker(broker, {"topic", "create", "taken"}));
    CHECK(run.exit_code == 1);
    CHECK(contains(run.err, "already_exists"));
  }
  SECTION("an unknown topic") {
    CliRun described = run_cli(with_broker(broker, {"topic", "describe", "missing"}));
    CHECK(described.exit_code == 1);
    CHECK(contains(described.err, "not_found"));
    CliRun produced = run_cli(with_broker(broker, {"produce", "missing"}), "x\n");
    CHECK(produced.exit_code == 1);
    CHECK(contains(produced.err, "not_found"));
    CliRun deleted = run_cli(with_broker(broker, {"topic", "delete", "missing"}));
    CHECK(deleted.exit_code == 1);
  }
  SECTION("an unreachable broker is named") {
    const std::string address = "127.0.0.1:1";
    CliRun run = run_cli({"--broker", address, "topic", "list"});
    CHECK(run.exit_code == 3);
    CHECK(contains(run.err, address));
  }
}

}  // namespace strata::testing
