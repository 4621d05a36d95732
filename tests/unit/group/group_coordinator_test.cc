#include <catch2/catch.hpp>

#include "tests/unit/group/coordinator_harness.h"

namespace strata::testing {
namespace {

using broker::GroupCoordinator;
using broker::GroupError;
using broker::GroupState;
using broker::GroupStatus;
using broker::JoinGroupParams;
using broker::JoinGroupResult;
using broker::SyncGroupResult;

JoinGroupParams join_params(const std::string& member_id = "", int session_ms = 10000,
                            int rebalance_ms = 10000) {
  JoinGroupParams p;
  p.group_id = "g";
  p.member_id = member_id;
  p.client_id = "app";
  p.client_host = "127.0.0.1";
  p.session_timeout_ms = session_ms;
  p.rebalance_timeout_ms = rebalance_ms;
  p.protocol_type = "consumer";
  p.protocols = {{"range", "sub-" + member_id}, {"roundrobin", "rr"}};
  return p;
}

JoinGroupResult join_now(GroupCoordinator& c, JoinGroupParams p) {
  Answer<JoinGroupResult> a;
  c.join(std::move(p), a.callback());
  return a.get();
}

SyncGroupResult sync_now(GroupCoordinator& c, const std::string& member, int generation,
                         std::vector<std::pair<std::string, std::string>> assignments = {}) {
  Answer<SyncGroupResult> a;
  c.sync({"g", generation, member, std::nullopt, std::nullopt, std::move(assignments)},
         a.callback());
  return a.get();
}

GroupError heartbeat_now(GroupCoordinator& c, const std::string& member, int generation) {
  Answer<GroupStatus> a;
  c.heartbeat({"g", generation, member}, a.callback());
  return a.get().error;
}

GroupError leave_now(GroupCoordinator& c, const std::string& member) {
  Answer<broker::LeaveGroupResult> a;
  c.leave({"g", {member}}, a.callback());
  auto r = a.get();
  REQUIRE(r.members.size() == 1);
  return r.members[0].second;
}

// Two members in a Stable group: returns {leader, follower, generation}.
struct TwoMembers {
  std::string leader;
  std::string follower;
  int generation = 0;
};

TwoMembers stable_pair(GroupCoordinator& c) {
  JoinGroupResult first = join_now(c, join_params());
  REQUIRE(first.status.ok());
  REQUIRE(sync_now(c, first.member_id, first.generation_id, {{first.member_id, "a1"}}).status.ok());
  Answer<JoinGroupResult> second;
  c.join(join_params(), second.callback());
  // The new member's join waits for the leader to rejoin.
  REQUIRE(heartbeat_now(c, first.member_id, first.generation_id) ==
          GroupError::rebalance_in_progress);
  JoinGroupResult leader = join_now(c, join_params(first.member_id));
  JoinGroupResult follower = second.get();
  REQUIRE(leader.status.ok());
  REQUIRE(follower.status.ok());
  Answer<SyncGroupResult> follower_sync;
  c.sync({"g", follower.generation_id, follower.member_id, {}, {}, {}}, follower_sync.callback());
  sync_now(c, leader.member_id, leader.generation_id,
           {{leader.member_id, "L"}, {follower.member_id, "F"}});
  REQUIRE(follower_sync.get().assignment == "F");
  return {leader.member_id, follower.member_id, leader.generation_id};
}

}  // namespace

TEST_CASE("a first member joins as leader of generation 1 and syncs its own assignment",
          "[group][coordinator]") {
  CoordinatorHarness h;
  JoinGroupResult r = join_now(h.coordinator(), join_params());
  REQUIRE(r.status.ok());
  CHECK(r.generation_id == 1);
  CHECK(r.leader_id == r.member_id);
  CHECK(r.member_id.rfind("app-", 0) == 0);
  CHECK(r.member_id.size() == 4 + 36);
  CHECK(r.protocol_name == "range");
  REQUIRE(r.members.size() == 1);
  CHECK(r.members[0].metadata == "sub-");
  CHECK(h.coordinator().describe("g").state == GroupState::completing_rebalance);

  SyncGroupResult s = sync_now(h.coordinator(), r.member_id, 1, {{r.member_id, "mine"}});
  REQUIRE(s.status.ok());
  CHECK(s.assignment == "mine");
  auto d = h.coordinator().describe("g");
  CHECK(d.state == GroupState::stable);
  CHECK(d.protocol_type == "consumer");
  CHECK(d.protocol_name == "range");
  REQUIRE(d.members.size() == 1);
  CHECK(d.members[0].assignment == "mine");
  CHECK(d.members[0].client_host == "127.0.0.1");
  CHECK(heartbeat_now(h.coordinator(), r.member_id, 1) == GroupError::none);
}

TEST_CASE("a second member starts a rebalance, followers wait for the leader's assignment",
          "[group][coordinator]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  TwoMembers pair = stable_pair(c);
  CHECK(pair.generation == 2);
  auto d = c.describe("g");
  CHECK(d.state == GroupState::stable);
  CHECK(d.leader_id == pair.leader);
  CHECK(d.members.size() == 2);
  CHECK(heartbeat_now(c, pair.follower, 2) == GroupError::none);
  CHECK(heartbeat_now(c, pair.follower, 1) == GroupError::illegal_generation);
  CHECK(heartbeat_now(c, "nobody", 2) == GroupError::unknown_member_id);
}

TEST_CASE("only the leader receives the member list", "[group][coordinator]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  JoinGroupResult first = join_now(c, join_params());
  sync_now(c, first.member_id, 1, {});
  Answer<JoinGroupResult> second;
  c.join(join_params(), second.callback());
  JoinGroupResult leader = join_now(c, join_params(first.member_id));
  JoinGroupResult follower = second.get();
  CHECK(leader.members.size() == 2);
  CHECK(follower.members.empty());
  CHECK(follower.leader_id == leader.member_id);
  CHECK(follower.generation_id == 2);
}

TEST_CASE("a v4+ first join gets MEMBER_ID_REQUIRED with an id to rejoin with",
          "[group][coordinator]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  JoinGroupParams p = join_params();
  p.require_known_member_id = true;
  JoinGroupResult first = join_now(c, p);
  CHECK(first.status.error == GroupError::member_id_required);
  REQUIRE(!first.member_id.empty());
  p.member_id = first.member_id;
  JoinGroupResult second = join_now(c, p);
  REQUIRE(second.status.ok());
  CHECK(second.member_id == first.member_id);
  CHECK(second.generation_id == 1);
}

TEST_CASE("a rejoin with an unknown member id gets UNKNOWN_MEMBER_ID", "[group][coordinator]") {
  CoordinatorHarness h;
  JoinGroupResult r = join_now(h.coordinator(), join_params("ghost"));
  CHECK(r.status.error == GroupError::unknown_member_id);
}

TEST_CASE("join rejects bad session timeouts, protocols and group ids", "[group][coordinator]") {
  auto options = CoordinatorHarness::test_options();
  options.min_session_timeout_ms = 6000;
  options.max_session_timeout_ms = 1800000;
  CoordinatorHarness h(options);
  auto& c = h.coordinator();
  CHECK(join_now(c, join_params("", 5999)).status.error == GroupError::invalid_session_timeout);
  CHECK(join_now(c, join_params("", 1800001)).status.error ==
        GroupError::invalid_session_timeout);
  JoinGroupParams bad_group = join_params("", 6000);
  bad_group.group_id = "";
  CHECK(join_now(c, bad_group).status.error == GroupError::invalid_group_id);

  JoinGroupResult first = join_now(c, join_params("", 6000));
  REQUIRE(first.status.ok());
  JoinGroupParams other_type = join_params("", 6000);
  other_type.protocol_type = "connect";
  CHECK(join_now(c, other_type).status.error == GroupError::inconsistent_group_protocol);
  JoinGroupParams other_assignor = join_params("", 6000);
  other_assignor.protocols = {{"RoundRobinAssigner", ""}};
  CHECK(join_now(c, other_assignor).status.error == GroupError::inconsistent_group_protocol);
}

TEST_CASE("the protocol every member supports wins the vote", "[group][coordinator]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  JoinGroupResult first = join_now(c, join_params());
  sync_now(c, first.member_id, 1, {});
  JoinGroupParams only_rr = join_params();
  only_rr.protocols = {{"roundrobin", "x"}};
  Answer<JoinGroupResult> second;
  c.join(only_rr, second.callback());
  JoinGroupResult leader = join_now(c, join_params(first.member_id));
  CHECK(leader.protocol_name == "roundrobin");
  CHECK(second.get().protocol_name == "roundrobin");
}

TEST_CASE("sync errors: unknown member, stale generation, rebalance in progress",
          "[group][coordinator]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  TwoMembers pair = stable_pair(c);
  CHECK(sync_now(c, "ghost", pair.generation).status.error == GroupError::unknown_member_id);
  CHECK(sync_now(c, pair.follower, pair.generation - 1).status.error ==
        GroupError::illegal_generation);
  // A Stable group answers a late sync with the member's assignment.
  CHECK(sync_now(c, pair.follower, pair.generation).assignment == "F");
  // A third member starts a rebalance: syncs now get REBALANCE_IN_PROGRESS.
  Answer<JoinGroupResult> third;
  c.join(join_params(), third.callback());
  CHECK(sync_now(c, pair.follower, pair.generation).status.error ==
        GroupError::rebalance_in_progress);
  CHECK(heartbeat_now(c, pair.leader, pair.generation) == GroupError::rebalance_in_progress);
  c.stop();  // answers `third` while it is alive
  CHECK(third.get().status.error == GroupError::not_coordinator);
}

TEST_CASE("a leave rebalances the rest, the last leave empties the group with a new generation",
          "[group][coordinator]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  TwoMembers pair = stable_pair(c);
  CHECK(leave_now(c, pair.leader) == GroupError::none);
  CHECK(leave_now(c, pair.leader) == GroupError::unknown_member_id);
  CHECK(c.describe("g").state == GroupState::preparing_rebalance);
  CHECK(heartbeat_now(c, pair.follower, pair.generation) == GroupError::rebalance_in_progress);
  JoinGroupResult rejoin = join_now(c, join_params(pair.follower));
  REQUIRE(rejoin.status.ok());
  CHECK(rejoin.generation_id == pair.generation + 1);
  CHECK(rejoin.leader_id == pair.follower);
  sync_now(c, pair.follower, rejoin.generation_id, {{pair.follower, "all"}});
  CHECK(leave_now(c, pair.follower) == GroupError::none);
  auto d = c.describe("g");
  CHECK(d.state == GroupState::empty);
  CHECK(d.members.empty());
  CHECK(d.generation_id == rejoin.generation_id + 1);
}

TEST_CASE("a member silent past its session timeout is expired and the group rebalances",
          "[group][coordinator][expiry]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  JoinGroupResult steady = join_now(c, join_params("", 60000));
  sync_now(c, steady.member_id, 1, {});
  Answer<JoinGroupResult> silent_join;
  c.join(join_params("", 100), silent_join.callback());
  join_now(c, join_params(steady.member_id, 60000));
  JoinGroupResult silent = silent_join.get();
  REQUIRE(silent.status.ok());
  sync_now(c, steady.member_id, silent.generation_id, {});
  sync_now(c, silent.member_id, silent.generation_id, {});
  // steady keeps heartbeating; silent does not.
  REQUIRE(wait_until([&] {
    GroupError e = heartbeat_now(c, steady.member_id, silent.generation_id);
    return e == GroupError::rebalance_in_progress;
  }));
  CHECK(heartbeat_now(c, silent.member_id, silent.generation_id) == GroupError::unknown_member_id);
  JoinGroupResult alone = join_now(c, join_params(steady.member_id, 60000));
  CHECK(alone.generation_id == silent.generation_id + 1);
  CHECK(alone.members.size() == 1);
}

TEST_CASE("a member that does not rejoin within the rebalance timeout is removed",
          "[group][coordinator][expiry]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  // Long sessions: only the rebalance timeout (200 ms) can remove anyone.
  JoinGroupResult first = join_now(c, join_params("", 60000, 200));
  sync_now(c, first.member_id, 1, {});
  Answer<JoinGroupResult> second;
  const auto started = std::chrono::steady_clock::now();
  c.join(join_params("", 60000, 200), second.callback());
  JoinGroupResult r = second.get();
  CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(190));
  REQUIRE(r.status.ok());
  CHECK(r.generation_id == 2);
  CHECK(r.leader_id == r.member_id);  // the old leader was dropped
  CHECK(heartbeat_now(c, first.member_id, 1) == GroupError::unknown_member_id);
}

TEST_CASE("an Empty group waits the initial rebalance delay to gather members",
          "[group][coordinator]") {
  auto options = CoordinatorHarness::test_options();
  options.initial_rebalance_delay_ms = 150;
  CoordinatorHarness h(options);
  auto& c = h.coordinator();
  Answer<JoinGroupResult> a;
  Answer<JoinGroupResult> b;
  c.join(join_params(), a.callback());
  c.join(join_params(), b.callback());
  CHECK(!a.ready());
  CHECK(a.get().generation_id == 1);
  CHECK(b.get().generation_id == 1);
  CHECK(a.get().leader_id == b.get().leader_id);
}

TEST_CASE("stop answers pending joins with NOT_COORDINATOR and refuses later calls",
          "[group][coordinator]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  JoinGroupResult first = join_now(c, join_params());
  sync_now(c, first.member_id, 1, {});
  Answer<JoinGroupResult> pending;
  c.join(join_params(), pending.callback());
  c.stop();
  CHECK(pending.get().status.error == GroupError::not_coordinator);
  CHECK(join_now(c, join_params()).status.error == GroupError::not_coordinator);
  CHECK(pending.count() == 1);
}

TEST_CASE("list and describe show every group, delete only an Empty one",
          "[group][coordinator]") {
  CoordinatorHarness h;
  auto& c = h.coordinator();
  CHECK(c.describe("g").status.error == GroupError::group_id_not_found);
  JoinGroupResult first = join_now(c, join_params());
  sync_now(c, first.member_id, 1, {});
  auto listed = c.list();
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].group_id == "g");
  CHECK(listed[0].state == GroupState::stable);
  CHECK(listed[0].protocol_type == "consumer");
  CHECK(c.list({GroupState::empty}).empty());

  Answer<GroupStatus> refused;
  c.delete_group("g", refused.callback());
  CHECK(refused.get().error == GroupError::non_empty_group);
  leave_now(c, first.member_id);
  Answer<GroupStatus> deleted;
  c.delete_group("g", deleted.callback());
  CHECK(deleted.get().ok());
  CHECK(c.describe("g").status.error == GroupError::group_id_not_found);
  Answer<GroupStatus> again;
  c.delete_group("g", again.callback());
  CHECK(again.get().error == GroupError::group_id_not_found);
}

}  // namespace strata::testing
