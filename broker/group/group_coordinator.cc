#include "broker/group/group_coordinator.h"

#include <cstdio>
#include <random>

#include <asio/post.hpp>
#include <asio/thread_pool.hpp>

#include "broker/group/group.h"
#include "broker/group/group_metadata.h"
#include "broker/logger.h"

namespace strata::broker {
namespace {

using Completions = Group::Completions;

void run_all(Completions& out) {
  for (auto& fn : out) fn();
  out.clear();
}

// A random version-4 UUID in its usual text form.
std::string random_uuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  const std::uint64_t hi = (rng() & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;
  const std::uint64_t lo = (rng() & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;
  char text[37];
  std::snprintf(text, sizeof(text), "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32), static_cast<unsigned>((hi >> 16) & 0xffff),
                static_cast<unsigned>(hi & 0xffff), static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return text;
}

GroupStatus make_status(GroupError error, std::string message = {}) {
  return GroupStatus{error, std::move(message)};
}

GroupStatus check_group_id(const std::string& group_id) {
  Status valid = validate_group_id(group_id);
  if (!valid.ok()) return make_status(GroupError::invalid_group_id, valid.message());
  return {};
}

GroupStatus stopped_status() {
  return make_status(GroupError::not_coordinator, "the coordinator is stopping");
}

}  // namespace

std::string_view to_string(GroupState state) {
  switch (state) {
    case GroupState::empty: return "Empty";
    case GroupState::preparing_rebalance: return "PreparingRebalance";
    case GroupState::completing_rebalance: return "CompletingRebalance";
    case GroupState::stable: return "Stable";
    case GroupState::dead: return "Dead";
  }
  return "Dead";
}

std::string_view to_string(GroupError error) {
  switch (error) {
    case GroupError::none: return "NONE";
    case GroupError::unknown_topic_or_partition: return "UNKNOWN_TOPIC_OR_PARTITION";
    case GroupError::offset_metadata_too_large: return "OFFSET_METADATA_TOO_LARGE";
    case GroupError::coordinator_load_in_progress: return "COORDINATOR_LOAD_IN_PROGRESS";
    case GroupError::coordinator_not_available: return "COORDINATOR_NOT_AVAILABLE";
    case GroupError::not_coordinator: return "NOT_COORDINATOR";
    case GroupError::illegal_generation: return "ILLEGAL_GENERATION";
    case GroupError::inconsistent_group_protocol: return "INCONSISTENT_GROUP_PROTOCOL";
    case GroupError::invalid_group_id: return "INVALID_GROUP_ID";
    case GroupError::unknown_member_id: return "UNKNOWN_MEMBER_ID";
    case GroupError::invalid_session_timeout: return "INVALID_SESSION_TIMEOUT";
    case GroupError::rebalance_in_progress: return "REBALANCE_IN_PROGRESS";
    case GroupError::non_empty_group: return "NON_EMPTY_GROUP";
    case GroupError::group_id_not_found: return "GROUP_ID_NOT_FOUND";
    case GroupError::member_id_required: return "MEMBER_ID_REQUIRED";
    case GroupError::unknown_server_error: return "UNKNOWN_SERVER_ERROR";
  }
  return "UNKNOWN_SERVER_ERROR";
}

GroupCoordinator::GroupCoordinator(OffsetsStore& offsets, asio::thread_pool& pool,
                                   GroupCoordinatorOptions options)
    : offsets_(offsets), pool_(pool), options_(options) {}

GroupCoordinator::~GroupCoordinator() { stop(); }

Status GroupCoordinator::load() {
  STRATA_TRY_ASSIGN(auto records, offsets_.load_group_metadata());
  for (const auto& [id, value] : records) {
    Result<GroupMetadataRecord> record = decode_group_metadata(value);
    if (!record.ok()) {
      logger()->warn("group {}: unreadable metadata record skipped: {}", id,
                     record.status().message());
      continue;
    }
    find_or_create(id)->restore(*record);
  }
  STRATA_TRY_ASSIGN(std::vector<std::string> with_offsets, offsets_.list_groups());
  for (const std::string& id : with_offsets) find_or_create(id);
  logger()->info("groups: loaded {} groups ({} with metadata)", groups_.size(), records.size());
  return Status::ok_status();
}

void GroupCoordinator::start() {
  std::lock_guard lock(mu_);
  if (timer_.joinable() || stopped_) return;
  timer_ = std::thread([this] { run_timer(); });
}

void GroupCoordinator::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  timer_cv_.notify_all();
  if (timer_.joinable()) timer_.join();
  std::vector<std::shared_ptr<Group>> groups;
  {
    std::lock_guard lock(mu_);
    for (auto& [id, g] : groups_) groups.push_back(g);
  }
  Completions out;
  for (auto& g : groups) {
    std::lock_guard lock(g->mutex());
    g->shut_down(out);
  }
  run_all(out);
}

bool GroupCoordinator::is_stopped() const {
  std::lock_guard lock(mu_);
  return stopped_;
}

std::shared_ptr<Group> GroupCoordinator::find(const std::string& group_id) const {
  std::lock_guard lock(mu_);
  auto it = groups_.find(group_id);
  return it == groups_.end() ? nullptr : it->second;
}

std::shared_ptr<Group> GroupCoordinator::find_or_create(const std::string& group_id) {
  std::lock_guard lock(mu_);
  auto& slot = groups_[group_id];
  if (!slot) slot = std::make_shared<Group>(group_id, options_);
  return slot;
}

void GroupCoordinator::finish(const std::shared_ptr<Group>& group, Completions& out,
                              std::unique_lock<std::mutex>& lock) {
  std::optional<Group::PersistRequest> request = group->take_persist_request();
  lock.unlock();
  run_all(out);
  if (request) {
    persist(group, std::move(request->value), request->generation_id, request->completes_sync);
  }
}

void GroupCoordinator::persist(const std::shared_ptr<Group>& group, std::string value,
                               std::int32_t generation, bool completes_sync) {
  const std::string id = group->id();
  offsets_.store_group_metadata(
      id, std::move(value), [this, group, id, generation, completes_sync](Status st) {
        if (!st.ok()) {
          logger()->warn("group {}: storing metadata of generation {} failed: {}", id, generation,
                         st.message());
        }
        if (!completes_sync) return;
        Completions out;
        std::unique_lock lock(group->mutex());
        group->complete_sync(generation, st, Group::Clock::now(), out);
        finish(group, out, lock);
      });
}

void GroupCoordinator::run_timer() {
  std::unique_lock lock(mu_);
  while (!stopped_) {
    timer_cv_.wait_for(lock, std::chrono::milliseconds(options_.tick_ms));
    if (stopped_) break;
    std::vector<std::shared_ptr<Group>> groups;
    for (auto& [id, g] : groups_) groups.push_back(g);
    lock.unlock();
    const auto now = Group::Clock::now();
    for (auto& g : groups) {
      Completions out;
      std::unique_lock group_lock(g->mutex());
      g->tick(now, out);
      finish(g, out, group_lock);
    }
    lock.lock();
  }
}

void GroupCoordinator::join(JoinGroupParams params, JoinGroupCallback done) {
  auto fail = [&](GroupStatus status) {
    JoinGroupResult r;
    r.status = std::move(status);
    r.member_id = params.member_id;
    done(std::move(r));
  };
  if (is_stopped()) return fail(stopped_status());
  if (GroupStatus st = check_group_id(params.group_id); !st.ok()) return fail(std::move(st));
  if (params.session_timeout_ms < options_.min_session_timeout_ms ||
      params.session_timeout_ms > options_.max_session_timeout_ms) {
    return fail(make_status(
        GroupError::invalid_session_timeout,
        "session timeout " + std::to_string(params.session_timeout_ms) + " ms is outside [" +
            std::to_string(options_.min_session_timeout_ms) + ", " +
            std::to_string(options_.max_session_timeout_ms) + "]"));
  }
  if (params.rebalance_timeout_ms <= 0) params.rebalance_timeout_ms = params.session_timeout_ms;
  std::shared_ptr<Group> group =
      params.member_id.empty() ? find_or_create(params.group_id) : find(params.group_id);
  if (!group) {
    return fail(make_status(GroupError::unknown_member_id,
                            "group " + params.group_id + " is unknown"));
  }
  const std::string new_member_id = params.client_id + "-" + random_uuid();
  Completions out;
  std::unique_lock lock(group->mutex());
  group->join(std::move(params), std::move(done), new_member_id, Group::Clock::now(), out);
  finish(group, out, lock);
}

void GroupCoordinator::sync(SyncGroupParams params, SyncGroupCallback done) {
  auto fail = [&](GroupStatus status) {
    SyncGroupResult r;
    r.status = std::move(status);
    done(std::move(r));
  };
  if (is_stopped()) return fail(stopped_status());
  if (GroupStatus st = check_group_id(params.group_id); !st.ok()) return fail(std::move(st));
  std::shared_ptr<Group> group = find(params.group_id);
  if (!group) {
    return fail(make_status(GroupError::unknown_member_id,
                            "group " + params.group_id + " is unknown"));
  }
  Completions out;
  std::unique_lock lock(group->mutex());
  group->sync(std::move(params), std::move(done), Group::Clock::now(), out);
  finish(group, out, lock);
}

void GroupCoordinator::heartbeat(const HeartbeatParams& params, GroupStatusCallback done) {
  if (is_stopped()) return done(stopped_status());
  if (GroupStatus st = check_group_id(params.group_id); !st.ok()) return done(std::move(st));
  std::shared_ptr<Group> group = find(params.group_id);
  if (!group) {
    return done(make_status(GroupError::unknown_member_id,
                            "group " + params.group_id + " is unknown"));
  }
  Completions out;
  std::unique_lock lock(group->mutex());
  GroupError error = group->heartbeat(params, Group::Clock::now(), out);
  finish(group, out, lock);
  done(make_status(error));
}

void GroupCoordinator::leave(const LeaveGroupParams& params, LeaveGroupCallback done) {
  LeaveGroupResult result;
  if (is_stopped()) {
    result.status = stopped_status();
    return done(std::move(result));
  }
  if (GroupStatus st = check_group_id(params.group_id); !st.ok()) {
    result.status = std::move(st);
    return done(std::move(result));
  }
  std::shared_ptr<Group> group = find(params.group_id);
  if (!group) {
    result.status = make_status(GroupError::unknown_member_id,
                                "group " + params.group_id + " is unknown");
    for (const auto& id : params.member_ids) {
      result.members.emplace_back(id, GroupError::unknown_member_id);
    }
    return done(std::move(result));
  }
  Completions out;
  std::unique_lock lock(group->mutex());
  result = group->leave(params, Group::Clock::now(), out);
  finish(group, out, lock);
  done(std::move(result));
}

void GroupCoordinator::commit_offsets(OffsetCommitParams params, GroupStatusCallback done) {
  if (is_stopped()) return done(stopped_status());
  if (GroupStatus st = check_group_id(params.group_id); !st.ok()) return done(std::move(st));
  const bool simple = params.generation_id < 0 && params.member_id.empty();
  std::shared_ptr<Group> group =
      simple ? find_or_create(params.group_id) : find(params.group_id);
  if (!group) {
    return done(make_status(GroupError::illegal_generation,
                            "group " + params.group_id + " is unknown"));
  }
  GroupError error;
  {
    std::lock_guard lock(group->mutex());
    error = group->validate_commit(params.generation_id, params.member_id, Group::Clock::now());
  }
  if (error != GroupError::none) {
    return done(make_status(error, "group " + params.group_id + ": commit refused (" +
                                       std::string(to_string(error)) + ")"));
  }
  if (params.entries.empty()) return done({});
  offsets_.commit(params.group_id, std::move(params.entries), [done = std::move(done)](Status st) {
    if (!st.ok()) return done(make_status(GroupError::coordinator_not_available, st.message()));
    done({});
  });
}

void GroupCoordinator::fetch_offsets(const std::string& group_id,
                                     std::optional<std::vector<TopicPartition>> partitions,
                                     OffsetFetchCallback done) {
  if (is_stopped()) return done(stopped_status(), {});
  if (GroupStatus st = check_group_id(group_id); !st.ok()) return done(std::move(st), {});
  asio::post(pool_, [this, group_id, partitions = std::move(partitions),
                     done = std::move(done)] {
    std::vector<std::pair<TopicPartition, CommittedOffset>> out;
    if (!partitions) {
      auto all = offsets_.fetch_all(group_id);
      if (!all.ok()) {
        return done(make_status(GroupError::coordinator_not_available, all.status().message()),
                    {});
      }
      return done({}, std::move(all).value());
    }
    for (const TopicPartition& tp : *partitions) {
      auto one = offsets_.fetch(group_id, tp);
      if (!one.ok()) {
        return done(make_status(GroupError::coordinator_not_available, one.status().message()),
                    {});
      }
      if (*one) out.emplace_back(tp, **one);
    }
    done({}, std::move(out));
  });
}

void GroupCoordinator::reset_offsets(const std::string& group_id, std::vector<OffsetEntry> entries,
                                     GroupStatusCallback done) {
  if (is_stopped()) return done(stopped_status());
  if (GroupStatus st = check_group_id(group_id); !st.ok()) return done(std::move(st));
  std::shared_ptr<Group> group = find_or_create(group_id);
  {
    std::lock_guard lock(group->mutex());
    if (group->state() == GroupState::dead) {
      return done(make_status(GroupError::coordinator_not_available,
                              "group " + group_id + " is being deleted"));
    }
    if (group->state() != GroupState::empty) {
      return done(make_status(GroupError::non_empty_group,
                              "group " + group_id + " has members; stop them first"));
    }
  }
  if (entries.empty()) return done({});
  offsets_.commit(group_id, std::move(entries), [done = std::move(done)](Status st) {
    if (!st.ok()) return done(make_status(GroupError::coordinator_not_available, st.message()));
    done({});
  });
}

GroupDescription GroupCoordinator::describe(const std::string& group_id) const {
  GroupDescription d;
  d.group_id = group_id;
  if (is_stopped()) {
    d.status = stopped_status();
    return d;
  }
  if (GroupStatus st = check_group_id(group_id); !st.ok()) {
    d.status = std::move(st);
    return d;
  }
  std::shared_ptr<Group> group = find(group_id);
  if (!group) {
    d.status = make_status(GroupError::group_id_not_found, "group " + group_id + " does not exist");
    return d;
  }
  std::lock_guard lock(group->mutex());
  return group->describe();
}

std::vector<GroupListing> GroupCoordinator::list(const std::vector<GroupState>& states) const {
  std::vector<std::shared_ptr<Group>> groups;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, g] : groups_) groups.push_back(g);
  }
  std::vector<GroupListing> out;
  for (const auto& g : groups) {
    std::lock_guard lock(g->mutex());
    GroupListing l = g->listing();
    if (l.state == GroupState::dead) continue;
    if (!states.empty() && std::find(states.begin(), states.end(), l.state) == states.end()) {
      continue;
    }
    out.push_back(std::move(l));
  }
  return out;
}

void GroupCoordinator::delete_group(const std::string& group_id, GroupStatusCallback done) {
  if (is_stopped()) return done(stopped_status());
  if (GroupStatus st = check_group_id(group_id); !st.ok()) return done(std::move(st));
  std::shared_ptr<Group> group = find(group_id);
  if (!group) {
    return done(make_status(GroupError::group_id_not_found,
                            "group " + group_id + " does not exist"));
  }
  {
    std::lock_guard lock(group->mutex());
    if (group->state() == GroupState::dead) {
      return done(make_status(GroupError::group_id_not_found,
                              "group " + group_id + " does not exist"));
    }
    if (group->state() != GroupState::empty) {
      return done(make_status(GroupError::non_empty_group,
                              "group " + group_id + " has members; stop them first"));
    }
    group->mark_dead();
  }
  {
    std::lock_guard lock(mu_);
    auto it = groups_.find(group_id);
    if (it != groups_.end() && it->second == group) groups_.erase(it);
  }
  // Reading the offsets is a RocksDB call: off the caller's thread.
  asio::post(pool_, [this, group_id, done = std::move(done)]() mutable {
    auto offsets = offsets_.fetch_all(group_id);
    if (!offsets.ok()) {
      return done(make_status(GroupError::coordinator_not_available, offsets.status().message()));
    }
    std::vector<OffsetEntry> tombstones;
    for (const auto& [tp, committed] : *offsets) tombstones.push_back({tp, std::nullopt});
    auto remove_metadata = [this, group_id, done = std::move(done)](Status st) mutable {
      if (!st.ok()) return done(make_status(GroupError::coordinator_not_available, st.message()));
      offsets_.store_group_metadata(group_id, std::nullopt, [done = std::move(done)](Status st2) {
        if (!st2.ok()) {
          return done(make_status(GroupError::coordinator_not_available, st2.message()));
        }
        done({});
      });
    };
    if (tombstones.empty()) return remove_metadata(Status::ok_status());
    offsets_.commit(group_id, std::move(tombstones), std::move(remove_metadata));
  });
}

}  // namespace strata::broker
