#include "tests/support/broker_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
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

// What each sanitizer needs so that any report ends the broker with
// kSanitizerExitCode: ASan and LeakSanitizer exit with it instead of
// aborting, UBSan halts on the first report and exits with it too (its
// exitcode is its own flag, even inside an ASan build).
struct SanitizerDefaults {
  const char* variable;
  const char* options;
};
constexpr SanitizerDefaults kSanitizerDefaults[] = {
    {"ASAN_OPTIONS", "exitcode=66:abort_on_error=0:detect_leaks=1"},
    {"UBSAN_OPTIONS", "exitcode=66:halt_on_error=1:print_stacktrace=1"},
    {"TSAN_OPTIONS", "exitcode=66"},
};
static_assert(BrokerProcess::kSanitizerExitCode == 66, "kSanitizerDefaults spell out 66");

// The test's environment with kSanitizerDefaults in front of each sanitizer's
// options: a flag the environment sets comes later and wins.
std::vector<std::string> broker_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  for (const SanitizerDefaults& d : kSanitizerDefaults) {
    const std::string prefix = std::string(d.variable) + "=";
    bool found = false;
    for (std::string& entry : env) {
      if (entry.rfind(prefix, 0) != 0) continue;
      entry = prefix + d.options + ":" + entry.substr(prefix.size());
      found = true;
    }
    if (!found) env.push_back(prefix + d.options);
  }
  return env;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// How `status` reads in a message.
std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" +
           strsignal(WTERMSIG(status)) + ")";
  }
  return "ended with status " + std::to_string(status);
}

// Ends the test process with a failure: the broker inherits the test's
// stderr, so its report (sanitizer, STRATA_CHECK) is already in the test's
// output, just above this line. Without this the test would pass whenever
// the broker failed while nobody was talking to it (during shutdown, or in
// the leak check at its exit).
[[noreturn]] void fail_test(pid_t pid, const std::string& what) {
  std::fprintf(stderr, "strata-broker (pid %d) %s (its stderr is above); failing the test\n",
               static_cast<int>(pid), what.c_str());
  // _Exit skips the flush at exit: what the test reported so far on stdout
  // (Catch's failures, buffered into a pipe under CTest) must not be lost.
  std::fflush(nullptr);
  std::_Exit(BrokerProcess::kSanitizerExitCode);
}

// Fails the test when the broker reported a sanitizer error or died of a
// signal the test did not send (SIGTERM and SIGKILL are the only ones sent).
void fail_on_broker_error(pid_t pid, int status) {
  const bool sanitizer =
      WIFEXITED(status) && WEXITSTATUS(status) == BrokerProcess::kSanitizerExitCode;
  const bool crashed =
      WIFSIGNALED(status) && WTERMSIG(status) != SIGKILL && WTERMSIG(status) != SIGTERM;
  if (sanitizer) fail_test(pid, describe(status) + ": a sanitizer found an error in it");
  if (crashed) fail_test(pid, describe(status));
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

BrokerProcess::~BrokerProcess() {
  if (!running()) {
    kill();  // only closes the pipe
    return;
  }
  // A clean stop is part of every test that did not kill its broker: it runs
  // the broker's shutdown and, under ASan, its leak check.
  const pid_t pid = pid_;
  const int code = stop();
  if (code < 0) fail_test(pid, "did not exit on SIGTERM within the deadline, or died of a signal");
  if (code != 0) fail_test(pid, "exited with code " + std::to_string(code) + " on SIGTERM");
}

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
  std::vector<char*> argv = pointers(args);
  std::vector<std::string> env = broker_environment();
  std::vector<char*> envp = pointers(env);
  // fork, not posix_spawn: the child must ask for PR_SET_PDEATHSIG before it
  // execs. Between fork and execve it only makes async-signal-safe calls.
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
    if (dup2(fds[1], STDOUT_FILENO) < 0) _exit(127);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    error_ = "cannot run " + options_.binary + ": fork failed";
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
      fail_on_broker_error(pid_, status);
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
    if (waitpid(pid_, &status, 0) == pid_) fail_on_broker_error(pid_, status);
    pid_ = -1;
  }
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
    stdout_fd_ = -1;
  }
}

}  // namespace strata::testing
