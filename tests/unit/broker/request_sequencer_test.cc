#include "broker/kafka/server/request_sequencer.h"

#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace strata::broker::kafka {
namespace {

using Kind = RequestSequencer::Kind;

// Submits requests named by `names` ("P" for a Produce, anything else
// otherwise) and records the order in which they start.
struct Harness {
  RequestSequencer sequencer;
  std::vector<std::string> started;

  void submit(const std::string& name) {
    sequencer.submit(name.front() == 'P' ? Kind::append : Kind::other,
                     [this, name] { started.push_back(name); });
  }
};

TEST_CASE("pipelined Produces all start at once, in arrival order", "[broker][kafka]") {
  Harness h;
  for (const char* name : {"P1", "P2", "P3", "P4", "P5"}) h.submit(name);
  CHECK(h.started == std::vector<std::string>{"P1", "P2", "P3", "P4", "P5"});
  CHECK(h.sequencer.running() == 5);
  CHECK(h.sequencer.waiting() == 0);
}

TEST_CASE("a request after a Produce waits until the Produce has its answer",
          "[broker][kafka]") {
  Harness h;
  h.submit("P1");
  h.submit("P2");
  h.submit("Fetch");
  CHECK(h.started == std::vector<std::string>{"P1", "P2"});
  h.sequencer.finished(Kind::append);
  CHECK(h.started.size() == 2);  // P2 still appending
  h.sequencer.finished(Kind::append);
  CHECK(h.started == std::vector<std::string>{"P1", "P2", "Fetch"});
}

TEST_CASE("a Produce after another request waits until that request finished",
          "[broker][kafka]") {
  Harness h;
  h.submit("InitProducerId");
  h.submit("P1");
  h.submit("P2");
  CHECK(h.started == std::vector<std::string>{"InitProducerId"});
  h.sequencer.finished(Kind::other);
  CHECK(h.started == std::vector<std::string>{"InitProducerId", "P1", "P2"});
}

TEST_CASE("requests other than Produce run one at a time", "[broker][kafka]") {
  Harness h;
  h.submit("Metadata");
  h.submit("OffsetCommit");
  h.submit("P1");
  CHECK(h.started == std::vector<std::string>{"Metadata"});
  h.sequencer.finished(Kind::other);
  CHECK(h.started == std::vector<std::string>{"Metadata", "OffsetCommit"});
  h.sequencer.finished(Kind::other);
  CHECK(h.started == std::vector<std::string>{"Metadata", "OffsetCommit", "P1"});
  CHECK(h.sequencer.waiting() == 0);
}

TEST_CASE("clear drops the requests that have not started", "[broker][kafka]") {
  Harness h;
  h.submit("P1");
  h.submit("Fetch");
  h.submit("P2");
  h.sequencer.clear();
  h.sequencer.finished(Kind::append);
  CHECK(h.started == std::vector<std::string>{"P1"});
}

}  // namespace
}  // namespace strata::broker::kafka
