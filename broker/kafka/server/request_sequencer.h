#pragma once

#include <cstddef>
#include <deque>
#include <functional>

namespace strata::broker::kafka {

// Decides when each request of one Kafka connection may start, so that the
// requests take effect in the order they arrived, as in Kafka (which mutes a
// connection until its answer is out), without making one connection wait
// for an fdatasync per Produce:
//
// - A Produce starts once every earlier non-Produce request has finished;
//   earlier Produces need only have started. Its handler hands its batches
//   to the partitions' strands before returning, and handlers of one
//   connection run one after another (the caller runs `start` on a strand of
//   its own), so pipelined Produces append in order and one group commit
//   covers several of them.
// - Any other request starts once every earlier request has finished: a
//   Fetch, ListOffsets or OffsetCommit sent after a Produce sees that
//   Produce's effect, exactly as on Kafka.
//
// Owned by a Connection; used on its reactor thread only (no lock).
class RequestSequencer {
 public:
  enum class Kind {
    append,  // Produce
    other,   // everything else
  };

  RequestSequencer() = default;
  RequestSequencer(const RequestSequencer&) = delete;
  RequestSequencer& operator=(const RequestSequencer&) = delete;

  // Queues a request behind the earlier ones. `start` runs (inline, from
  // submit() or finished()) once the request may begin; it must not call
  // back into the sequencer.
  void submit(Kind kind, std::function<void()> start);
  // A started request of `kind` has its answer. Starts what may start now.
  void finished(Kind kind);
  // Drops every request not started yet (the connection is closing).
  void clear() { waiting_.clear(); }

  std::size_t waiting() const { return waiting_.size(); }
  std::size_t running() const { return running_; }

 private:
  struct Waiting {
    Kind kind;
    std::function<void()> start;
  };
  bool may_start(Kind kind) const;
  void start_ready();

  std::deque<Waiting> waiting_;    // in arrival order
  std::size_t running_ = 0;        // started, not finished
  std::size_t running_other_ = 0;  // of which not appends
};

}  // namespace strata::broker::kafka
