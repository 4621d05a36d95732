#include "tests/support/etcd_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include <httplib.h>

extern char** environ;

namespace strata::testing {
namespace {

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

int pick_free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

EtcdProcess::EtcdProcess() : EtcdProcess(Options{}) {}

EtcdProcess::EtcdProcess(Options options) : options_(std::move(options)), dir_("strata-etcd") {
  if (options_.binary.empty()) {
#ifdef STRATA_ETCD_PATH
    options_.binary = STRATA_ETCD_PATH;
#else
    options_.binary = "/usr/bin/etcd";
#endif
  }
  data_dir_ = dir_ / "data";
  log_path_ = dir_ / "etcd.log";
  client_port_ = pick_free_port();
  peer_port_ = pick_free_port();
  // Two sockets closed one after the other can get the same port.
  for (int i = 0; i < 10 && peer_port_ == client_port_; ++i) peer_port_ = pick_free_port();
}

EtcdProcess::~EtcdProcess() { stop(); }

std::string EtcdProcess::client_url() const {
  return "http://127.0.0.1:" + std::to_string(client_port_);
}

bool EtcdProcess::start() {
  if (running()) return true;
  // Another test may take a picked port before etcd binds it; the first
  // start then picks again (later starts keep their ports: the member's
  // peer URL is in its data).
  for (int attempt = 1;; ++attempt) {
    bool exited = false;
    if (launch(exited)) {
      started_once_ = true;
      return true;
    }
    const bool port_taken = exited && log_tail().find("address already in use") != std::string::npos;
    if (started_once_ || !port_taken || attempt == 5) return false;
    std::error_code ignored;
    std::filesystem::remove_all(data_dir_, ignored);
    client_port_ = pick_free_port();
    peer_port_ = pick_free_port();
    for (int i = 0; i < 10 && peer_port_ == client_port_; ++i) peer_port_ = pick_free_port();
  }
}

bool EtcdProcess::launch(bool& exited) {
  if (client_port_ == 0 || peer_port_ == 0 || client_port_ == peer_port_) {
    error_ = "no free loopback ports for etcd";
    return false;
  }
  const std::string client = client_url();
  const std::string peer = "http://127.0.0.1:" + std::to_string(peer_port_);
  std::vector<std::string> args = {options_.binary,
                                   "--logger=zap",
                                   "--log-level=warn",
                                   "--name=strata-test",
                                   "--data-dir=" + data_dir_.string(),
                                   "--listen-client-urls=" + client,
                                   "--advertise-client-urls=" + client,
                                   "--listen-peer-urls=" + peer,
                                   "--initial-advertise-peer-urls=" + peer,
                                   "--initial-cluster=strata-test=" + peer};
  std::vector<char*> argv = pointers(args);
  const int log_fd = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    error_ = "cannot open " + log_path_.string();
    return false;
  }
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // Only async-signal-safe calls between fork and execve.
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent) _exit(127);
    if (dup2(log_fd, STDOUT_FILENO) < 0 || dup2(log_fd, STDERR_FILENO) < 0) _exit(127);
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  ::close(log_fd);
  if (pid < 0) {
    error_ = "fork failed";
    return false;
  }
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + options_.ready_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      exited = true;
      error_ = "etcd exited before it was healthy (status " + std::to_string(status) +
               "); its log ends with:\n" + log_tail();
      return false;
    }
    if (healthy()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  error_ = "etcd not healthy within the deadline; its log ends with:\n" + log_tail();
  kill();
  return false;
}

bool EtcdProcess::healthy() const {
  httplib::Client http("127.0.0.1", client_port_);
  http.set_connection_timeout(std::chrono::milliseconds(500));
  http.set_read_timeout(std::chrono::milliseconds(1000));
  const auto response = http.Get("/health");
  return response && response->status == 200 &&
         response->body.find("\"health\":\"true\"") != std::string::npos;
}

bool EtcdProcess::stop(std::chrono::milliseconds timeout) {
  if (!running()) return true;
  ::kill(pid_, SIGTERM);
  ::kill(pid_, SIGCONT);  // a paused member acts on SIGTERM only once resumed
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill();
  return false;
}

void EtcdProcess::kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

void EtcdProcess::pause() {
  if (pid_ > 0) ::kill(pid_, SIGSTOP);
}

void EtcdProcess::resume() {
  if (pid_ > 0) ::kill(pid_, SIGCONT);
}

std::string EtcdProcess::log_tail() const {
  std::ifstream in(log_path_);
  std::stringstream all;
  all << in.rdbuf();
  const std::string text = all.str();
  return text.size() > 2000 ? text.substr(text.size() - 2000) : text;
}

}  // namespace strata::testing
