#include "broker/kafka/server/request_sequencer.h"

#include <utility>

namespace strata::broker::kafka {

void RequestSequencer::submit(Kind kind, std::function<void()> start) {
  waiting_.push_back(Waiting{kind, std::move(start)});
  start_ready();
}

void RequestSequencer::finished(Kind kind) {
  if (running_ > 0) --running_;
  if (kind == Kind::other && running_other_ > 0) --running_other_;
  start_ready();
}

bool RequestSequencer::may_start(Kind kind) const {
  return kind == Kind::append ? running_other_ == 0 : running_ == 0;
}

void RequestSequencer::start_ready() {
  // Each round starts one request and removes it, so the loop ends.
  while (!waiting_.empty() && may_start(waiting_.front().kind)) {
    Waiting next = std::move(waiting_.front());
    waiting_.pop_front();
    ++running_;
    if (next.kind == Kind::other) ++running_other_;
    next.start();
  }
}

}  // namespace strata::broker::kafka
