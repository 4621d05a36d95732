#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "tests/support/temp_dir.h"

namespace strata::testing {

// A real single-member etcd (the Debian etcd-server binary) for tests: its
// own data directory under a TempDir, client and peer ports on 127.0.0.1
// picked free at construction, kept across restarts, so stop() then start()
// brings the same member back on the same address and data. One test thread
// uses it.
//
// start() waits (with a deadline) until etcd answers GET /health; the first
// start picks new ports when another process took one meanwhile. Output goes
// to etcd.log in the data directory's parent; error() includes its tail when
// start fails. The destructor stops a running etcd by its PID (SIGTERM, then
// SIGKILL); etcd also gets SIGKILL when the thread that started it exits
// (PR_SET_PDEATHSIG), so a crashed test leaves nothing running.
class EtcdProcess {
 public:
  struct Options {
    // The binary; empty = STRATA_ETCD_PATH (a compile definition), else /usr/bin/etcd.
    std::string binary;
    std::chrono::milliseconds ready_timeout{20000};
  };

  EtcdProcess();
  explicit EtcdProcess(Options options);
  ~EtcdProcess();
  EtcdProcess(const EtcdProcess&) = delete;
  EtcdProcess& operator=(const EtcdProcess&) = delete;

  // Launches etcd and waits until it is healthy; false (reason in error())
  // when it exits or stays unhealthy past the deadline. True when running.
  bool start();
  // SIGTERM, waits up to `timeout`, then SIGKILL; returns whether it exited
  // within the timeout. No-op when not running.
  bool stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // SIGKILL and reap: a crash of the member.
  void kill();
  // SIGSTOP / SIGCONT: a member that hangs (its connections stay open).
  void pause();
  void resume();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // "http://127.0.0.1:PORT", what --etcd-endpoints and EtcdClient take.
  std::string client_url() const;
  int client_port() const { return client_port_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }
  const std::string& error() const { return error_; }

 private:
  // One launch and wait; `exited`: etcd ended before it was healthy.
  bool launch(bool& exited);
  bool healthy() const;
  std::string log_tail() const;

  Options options_;
  TempDir dir_;
  std::filesystem::path data_dir_;
  std::filesystem::path log_path_;
  int client_port_ = 0;
  int peer_port_ = 0;
  pid_t pid_ = -1;
  bool started_once_ = false;
  std::string error_;
};

// A loopback TCP port that was free a moment ago (bound to port 0 and
// closed), for a server that must be told its port.
int pick_free_port();

}  // namespace strata::testing
