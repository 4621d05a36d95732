#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/temp_dir.h"

namespace strata::testing {

// A real strata-broker process on ephemeral loopback ports, for integration
// tests. start() launches the binary with --listen 127.0.0.1:0
// --http-listen 127.0.0.1:0 --kafka-listen 127.0.0.1:0 and reads its ready line (with a deadline) to
// learn the ports. One test thread uses it.
//
// Failing the test: the broker runs with every sanitizer's exit code set to
// kSanitizerExitCode (ASAN_OPTIONS, UBSAN_OPTIONS, TSAN_OPTIONS; values the
// test's environment already sets win) and writes to the test's stderr. When
// it is found to have exited with that code, or killed by a signal nobody
// sent, the test process prints why and exits with kSanitizerExitCode, so a
// report in the broker (a leak at its exit included) fails the test with the
// report in its output. The destructor stops a running broker as stop() does
// and fails the test the same way unless it exited with 0: a test that means
// to kill its broker calls kill().
//
// Lifetime: the broker gets SIGKILL when the thread that started it exits
// (PR_SET_PDEATHSIG), so a test process that dies (a failed REQUIRE on a
// worker thread, std::_Exit, a crash) leaves nothing running. Start it from
// the thread that outlives it, normally the test's own.
class BrokerProcess {
 public:
  struct Options {
    // The binary; defaults to STRATA_BROKER_PATH (a compile definition).
    std::string binary;
    // The data directory; empty = a fresh TempDir owned by this object.
    // Pass the same one again to restart on the same data.
    std::filesystem::path data_dir;
    // More flags, e.g. {"--retention-check-interval-ms", "100"}.
    std::vector<std::string> extra_args;
    std::chrono::milliseconds ready_timeout{20000};
  };

  // The broker's exit code for a sanitizer report (ThreadSanitizer's
  // default). The broker itself exits with 0 or 1 only.
  static constexpr int kSanitizerExitCode = 66;

  BrokerProcess();
  explicit BrokerProcess(Options options);
  // stop(), then fails the test unless the broker exited with 0.
  ~BrokerProcess();
  BrokerProcess(const BrokerProcess&) = delete;
  BrokerProcess& operator=(const BrokerProcess&) = delete;

  // Launches the broker and waits for its ready line; false (with the reason
  // in error()) when it exits or stays silent past the deadline.
  bool start();
  // SIGTERM, then waits up to `timeout` for the exit; SIGKILL after that.
  // Returns the exit status (0 for a clean stop), -1 when it had to be killed
  // or died of a signal (or was not running).
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // SIGKILL and reap, for a test that means to kill the broker (no leak check
  // runs). It still fails the test when the broker had already exited with
  // kSanitizerExitCode or died of another signal.
  void kill();

  bool running() const { return pid_ > 0; }
  // The broker's PID while running (-1 otherwise), e.g. to SIGSTOP it.
  pid_t pid() const { return pid_; }
  // "127.0.0.1:PORT" of the native gRPC API and of the HTTP listener.
  const std::string& native_address() const { return native_address_; }
  const std::string& http_address() const { return http_address_; }
  // "127.0.0.1:PORT" of the Kafka-protocol listener (the ready line's kafka=).
  const std::string& kafka_address() const { return kafka_address_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::string& error() const { return error_; }

 private:
  Options options_;
  std::unique_ptr<TempDir> owned_dir_;
  std::filesystem::path data_dir_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string native_address_;
  std::string http_address_;
  std::string kafka_address_;
  std::string error_;
};

}  // namespace strata::testing
