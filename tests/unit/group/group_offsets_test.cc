#include <catch2/catch.hpp>

#include "tests/unit/group/coordinator_harness.h"

namespace strata::testing {
namespace {

using broker::CommittedOffset;
using broker::GroupCoordinator;
using broker::GroupError;
using broker::GroupState;
using broker::GroupStatus;
using broker::JoinGroupParams;
using broker::JoinGroupResult;
using broker::OffsetEntry;

JoinGroupParams join_params(const std::string& member_id = "") {
  JoinGroupParams p;
  p.group_id = "g";
  p.member_id = member_id;
  p.client_id = "app";
  p.session_timeout_ms = 10000;
  p.rebalance_timeout_ms = 10000;
  p.protocol_type = "consumer";
  p.protocols = {{"range", "s"}};
  return p;
}

std::vector<OffsetEntry> at(std::int64_t offset, int partition = 0) {
  return {OffsetEntry{TopicPartition{"orders", PartitionId(partition)},
                      CommittedOffset{offset, -1, "meta"}}};
}

GroupError commit_now(GroupCoordinator& c, int generation, const std::string& member,
                      std::int64_t offset) {
  Answer<GroupStatus> a;
  c.commit_offsets({"g", generation, member, at(offset)}, a.callback());
  return a.get().error;
}

std::optional<std::int64_t> committed(GroupCoordinator& c, int partition = 0) {
  Answer<std::vector<std::pair<TopicPartition, CommittedOffset>>> a;
  c.fetch_offsets("g", std::vector<TopicPartition>{{"orders", PartitionId(partition)}},
                  [&a](GroupStatus st, auto offsets) {
                    REQUIRE(st.ok());
                    a.set(std::move(offsets));
                  });
  auto offsets = a.get();
  if (offsets.empty()) return std::nullopt;
  return offsets[0].second.offset;
}

JoinGroupResult join_and_sync(GroupCoordinator& c) {
  Answer<JoinGroupResult> j;
  c.join(join_params(), j.callback());
  JoinGroupResult r = j.get();
  REQUIRE(r.status.ok());
  Answer<broker::SyncGroupResult> s;
  c.sync({"g", r.generation_id, r.member_id, {}, {}, {{r.member_id, "p0"}}}, s.callback());
  REQUIRE(s.get().status.ok());
  return r;
}

}  // namespace

TEST_CASE("a simple commit is accepted only while the group has no members",
          "[group][offsets]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  CHECK(commit_now(c, -1, "", 5) == GroupError::none);
  CHECK(committed(c) == 5);
  CHECK(c.describe("g").state == GroupState::empty);
  join_and_sync(c);
  CHECK(commit_now(c, -1, "", 6) == GroupError::unknown_member_id);
  CHECK(committed(c) == 5);
}

TEST_CASE("member commits are checked against the member id and generation",
          "[group][offsets]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  CHECK(commit_now(c, 1, "ghost", 1) == GroupError::illegal_generation);  // unknown group
  JoinGroupResult m = join_and_sync(c);
  CHECK(commit_now(c, m.generation_id, m.member_id, 10) == GroupError::none);
  CHECK(committed(c) == 10);
  CHECK(commit_now(c, m.generation_id + 1, m.member_id, 11) == GroupError::illegal_generation);
  CHECK(commit_now(c, m.generation_id, "ghost", 11) == GroupError::unknown_member_id);
  // During PreparingRebalance the current generation may still commit.
  Answer<JoinGroupResult> other;
  c.join(join_params(), other.callback());
  CHECK(c.describe("g").state == GroupState::preparing_rebalance);
  CHECK(commit_now(c, m.generation_id, m.member_id, 12) == GroupError::none);
  // In CompletingRebalance nobody may.
  Answer<JoinGroupResult> rejoin;
  c.join(join_params(m.member_id), rejoin.callback());
  REQUIRE(rejoin.get().status.ok());
  CHECK(c.describe("g").state == GroupState::completing_rebalance);
  CHECK(commit_now(c, rejoin.get().generation_id, m.member_id, 13) ==
        GroupError::rebalance_in_progress);
  CHECK(committed(c) == 12);
}

TEST_CASE("reset moves offsets only of a group without members", "[group][offsets]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  JoinGroupResult m = join_and_sync(c);
  Answer<GroupStatus> refused;
  c.reset_offsets("g", at(0), refused.callback());
  CHECK(refused.get().error == GroupError::non_empty_group);
  Answer<broker::LeaveGroupResult> left;
  c.leave({"g", {m.member_id}}, left.callback());
  left.get();
  Answer<GroupStatus> reset;
  c.reset_offsets("g", at(3), reset.callback());
  CHECK(reset.get().ok());
  CHECK(committed(c) == 3);
}

TEST_CASE("offsets and group metadata survive a coordinator restart, members must rejoin",
          "[group][offsets][restart]") {
  CoordinatorHarness h;
  JoinGroupResult m = join_and_sync(h.coordinator());
  REQUIRE(commit_now(h.coordinator(), m.generation_id, m.member_id, 42) == GroupError::none);
  {
    Answer<GroupStatus> simple;
    h.coordinator().commit_offsets({"other", -1, "", at(7, 3)}, simple.callback());
    REQUIRE(simple.get().ok());
  }
  h.reopen();
  auto& c = h.coordinator();
  auto d = c.describe("g");
  REQUIRE(d.status.ok());
  CHECK(d.state == GroupState::empty);
  CHECK(d.protocol_type == "consumer");
  CHECK(d.generation_id == m.generation_id);
  CHECK(committed(c) == 42);
  CHECK(c.describe("other").state == GroupState::empty);
  CHECK(c.list().size() == 2);
  // The old member id is gone; a fresh join starts the next generation.
  CHECK(commit_now(c, m.generation_id, m.member_id, 43) == GroupError::unknown_member_id);
  JoinGroupResult again = join_and_sync(c);
  CHECK(again.generation_id == m.generation_id + 1);
}

TEST_CASE("a deleted group's offsets and metadata stay deleted after a restart",
          "[group][offsets][restart]") {
  CoordinatorHarness h;
  REQUIRE(commit_now(h.coordinator(), -1, "", 9) == GroupError::none);
  Answer<GroupStatus> deleted;
  h.coordinator().delete_group("g", deleted.callback());
  REQUIRE(deleted.get().ok());
  CHECK(committed(h.coordinator()) == std::nullopt);
  h.reopen();
  CHECK(h.coordinator().describe("g").status.error == GroupError::group_id_not_found);
  CHECK(committed(h.coordinator()) == std::nullopt);
}

}  // namespace strata::testing
