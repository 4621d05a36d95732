#include "tests/support/broker_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <thread>

extern char** environ;

namespace strata::testing {
namespace {

std::string field(const std::string& line, const std::string& key) {
  const std::size_t at = line.find(key + "=");
  if (at == std::string::npos) return "";
  const std::size_t begin = at + key.size() + 1;
  const std::size_t end = line.find(' ', begin);
  return line.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// ThreadSanitizer's exit code (TSAN_OPTIONS exitcode, 66 by default). The
// broker never exits with it on its own (it uses 0 and 1).
constexpr int kSanitizerExitCode = 66;

// The broker inherits the test's stderr, so a sanitizer report in it lands
// in the test output; but the test would still pass when the report came
// while nobody was talking to the broker (e.g. during shutdown). Ends the
// test process with the same code, so the test fails and the report shows.
void fail_on_sanitizer_exit(pid_t pid, int status) {
  if (!WIFEXITED(status) || WEXITSTATUS(status) != kSanitizerExitCode) return;
  std::fprintf(stderr,
               "strata-broker (pid %d) exited with code %d: a sanitizer found an error in it "
               "(its report is above); failing the test\n",
               static_cast<int>(pid), kSanitizerExitCode);
  std::fflush(stderr);
  std::_Exit(kSanitizerExitCode);
}

}  // namespace

BrokerProcess::BrokerProcess() : BrokerProcess(Options{}) {}

BrokerProcess::BrokerProcess(Options options) : options_(std::move(options)) {
#ifdef STRATA_BROKER_PATH
  if (options_.binary.empty()) options_.binary = STRATA_BROKER_PATH;
#endif
  if (options_.data_dir.empty()) {
    owned_dir_ = std::make_unique<TempDir>("strata-broker");
    data_dir_ = owned_dir_->path() / "data";
  } else {
    data_dir_ = options_.data_dir;
  }
}

BrokerProcess::~BrokerProcess() { kill(); }

bool BrokerProcess::start() {
  if (running()) return true;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    error_ = "pipe failed";
    return false;
  }
  std::vector<std::string> args = {options_.binary,       "--data-dir",    data_dir_.string(),
                                   "--listen",            "127.0.0.1:0",   "--http-listen",
                                   "127.0.0.1:0",         "--kafka-listen", "127.0.0.1:0"};
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, options_.binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (rc != 0) {
    close(fds[0]);
    error_ = "cannot run " + options_.binary;
    return false;
  }
  pid_ = pid;
  stdout_fd_ = fds[0];

  const auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
  std::string out;
  while (out.find('\n') == std::string::npos) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      error_ = "no ready line within the deadline";
      kill();
      return false;
    }
    pollfd p{stdout_fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[512];
    const ssize_t n = read(stdout_fd_, buf, sizeof(buf));
    if (n <= 0) {
      error_ = "the broker exited before it was ready";
      kill();
      return false;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  const std::string line = out.substr(0, out.find('\n'));
  native_address_ = field(line, "native");
  http_address_ = field(line, "http");
  kafka_address_ = field(line, "kafka");
  if (line.rfind("strata-broker ready ", 0) != 0 || native_address_.empty() ||
      http_address_.empty() || kafka_address_.empty()) {
    error_ = "unexpected ready line: " + line;
    kill();
    return false;
  }
  return true;
}

int BrokerProcess::stop(std::chrono::milliseconds timeout) {
  if (!running()) return -1;
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const pid_t done = waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      fail_on_sanitizer_exit(pid_, status);
      pid_ = -1;
      close(stdout_fd_);
      stdout_fd_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill();
  return -1;
}

void BrokerProcess::kill() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    // A broker that already exited on its own is reaped with its exit code.
    if (waitpid(pid_, &status, 0) == pid_) fail_on_sanitizer_exit(pid_, status);
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
}

}  // namespace strata::testing
