// strata-broker: parses the configuration, starts the Server, prints the
// ready line and waits for SIGTERM or SIGINT.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <variant>

#include "broker/config.h"
#include "broker/logger.h"
#include "broker/server.h"
#include "common/logging.h"
#include "common/malloc_tuning.h"

int main(int argc, char** argv) {
  strata::keep_io_buffers_in_heap();
  auto parsed = strata::broker::parse_command_line(argc, argv);
  if (auto* code = std::get_if<int>(&parsed)) return *code;
  const strata::broker::BrokerConfig config = std::get<strata::broker::BrokerConfig>(parsed);
  strata::set_log_level(config.log_level);

  // Block the stop signals in every thread; the main thread takes them with sigwait.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  strata::broker::Server server(config);
  strata::Status started = server.start();
  if (!started.ok()) {
    strata::broker::logger()->error("broker: cannot start: {}", started.to_string());
    server.stop();
    return 1;
  }
  std::printf("strata-broker ready native=%s http=%s kafka=%s\n",
              server.native_address().to_string().c_str(),
              server.http_address().to_string().c_str(),
              server.kafka_address().to_string().c_str());
  std::fflush(stdout);

  int received = 0;
  sigwait(&signals, &received);
  strata::broker::logger()->info("broker: received signal {}", received);
  server.stop();
  return 0;
}
