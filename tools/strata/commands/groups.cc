#include "tools/strata/commands/groups.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/strata/table.h"
#include "tools/strata/topic_name.h"

namespace strata::cli {
namespace {

using nlohmann::json;

std::string or_dash(std::int64_t v) { return v < 0 ? "-" : std::to_string(v); }

int run_offsets(const CliContext& ctx, const std::string& group, const std::string& topic) {
  const std::string what = "group offsets " + group;
  if (!topic.empty()) {
    if (Status st = validate_topic_name(topic); !st.ok()) {
      std::fprintf(stderr, "strata: %s: %s\n", what.c_str(), st.message().c_str());
      return kExitUsage;
    }
  }
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  auto offsets = (*admin)->group_offsets(group, topic);
  if (!offsets.ok()) return report_error(ctx, what, offsets.status());
  if (ctx.format() == OutputFormat::json) {
    json out = json::array();
    for (const auto& o : *offsets) {
      out.push_back({{"topic", o.topic_partition.topic},
                     {"partition", o.topic_partition.partition.value()},
                     {"committed", o.committed.value()},
                     {"log_end_offset", o.log_end_offset.value()},
                     {"lag", o.lag}});
    }
    std::printf("%s\n", json{{"group", group}, {"offsets", out}}.dump().c_str());
    return kExitOk;
  }
  Table table({"TOPIC", "PARTITION", "COMMITTED", "LOG-END", "LAG"});
  for (const auto& o : *offsets) {
    table.add_row({o.topic_partition.topic, std::to_string(o.topic_partition.partition.value()),
                   or_dash(o.committed.value()), or_dash(o.log_end_offset.value()),
                   or_dash(o.lag)});
  }
  table.print(stdout);
  return kExitOk;
}

struct ResetFlags {
  std::string group;
  std::string topic;
  bool to_earliest = false;
  bool to_latest = false;
  std::optional<std::int64_t> to_offset;
  std::vector<std::int32_t> partitions;
  bool dry_run = false;
};

int run_reset(const CliContext& ctx, const ResetFlags& f) {
  const std::string what = "group reset " + f.group;
  if (Status st = validate_topic_name(f.topic); !st.ok()) {
    std::fprintf(stderr, "strata: %s: %s\n", what.c_str(), st.message().c_str());
    return kExitUsage;
  }
  const int targets = (f.to_earliest ? 1 : 0) + (f.to_latest ? 1 : 0) + (f.to_offset ? 1 : 0);
  if (targets != 1) {
    std::fprintf(stderr,
                 "strata: %s: give exactly one of --to-earliest, --to-latest, --to-offset N\n",
                 what.c_str());
    return kExitUsage;
  }
  const client::ResetTarget target = f.to_earliest  ? client::ResetTarget::to_earliest()
                                     : f.to_latest ? client::ResetTarget::to_latest()
                                                   : client::ResetTarget::to_offset(*f.to_offset);
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  auto results = (*admin)->reset_offsets(f.group, f.topic, target, f.partitions, f.dry_run);
  if (!results.ok()) return report_error(ctx, what, results.status());
  int rc = kExitOk;
  for (const auto& r : *results) {
    if (!r.error.ok()) {
      rc = report_error(ctx, what + " partition " + std::to_string(r.partition.value()), r.error);
    }
  }
  if (ctx.format() == OutputFormat::json) {
    json out = json::array();
    for (const auto& r : *results) {
      json row{{"partition", r.partition.value()},
               {"previous_offset", r.previous_offset.value()},
               {"new_offset", r.new_offset.value()}};
      if (!r.error.ok()) row["error"] = r.error.to_string();
      out.push_back(row);
    }
    std::printf("%s\n", json{{"group", f.group}, {"topic", f.topic}, {"dry_run", f.dry_run},
                             {"partitions", out}}
                            .dump()
                            .c_str());
    return rc;
  }
  Table table({"TOPIC", "PARTITION", "PREVIOUS", "NEW"});
  for (const auto& r : *results) {
    table.add_row({f.topic, std::to_string(r.partition.value()),
                   or_dash(r.previous_offset.value()), or_dash(r.new_offset.value())});
  }
  table.print(stdout);
  if (f.dry_run) std::printf("(dry run: nothing committed)\n");
  return rc;
}

int run_list(const CliContext& ctx) {
  const std::string what = "group list";
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  auto groups = (*admin)->list_groups();
  if (!groups.ok()) return report_error(ctx, what, groups.status());
  // The state and protocol type of each, as its description says.
  std::vector<client::GroupDescription> described;
  for (const std::string& id : *groups) {
    auto d = (*admin)->describe_group(id);
    if (d.ok()) described.push_back(std::move(*d));
  }
  if (ctx.format() == OutputFormat::json) {
    json out = json::array();
    for (const auto& d : described) {
      out.push_back({{"group", d.group_id},
                     {"state", d.state},
                     {"protocol_type", d.protocol_type},
                     {"members", d.members.size()}});
    }
    std::printf("%s\n", json{{"groups", out}}.dump().c_str());
    return kExitOk;
  }
  Table table({"GROUP", "STATE", "PROTOCOL-TYPE", "MEMBERS"});
  for (const auto& d : described) {
    table.add_row({d.group_id, d.state, d.protocol_type.empty() ? "-" : d.protocol_type,
                   std::to_string(d.members.size())});
  }
  table.print(stdout);
  return kExitOk;
}

std::string partitions_text(const std::vector<TopicPartition>& partitions) {
  std::string out;
  for (const auto& tp : partitions) {
    if (!out.empty()) out += ",";
    out += tp.to_string();
  }
  return out.empty() ? "-" : out;
}

int run_describe(const CliContext& ctx, const std::string& group) {
  const std::string what = "group describe " + group;
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  auto d = (*admin)->describe_group(group);
  if (!d.ok()) return report_error(ctx, what, d.status());
  if (ctx.format() == OutputFormat::json) {
    json members = json::array();
    for (const auto& m : d->members) {
      json assignment = json::array();
      for (const auto& tp : m.assignment) {
        assignment.push_back({{"topic", tp.topic}, {"partition", tp.partition.value()}});
      }
      members.push_back({{"member_id", m.member_id},
                         {"client_id", m.client_id},
                         {"client_host", m.client_host},
                         {"assignment", assignment}});
    }
    std::printf("%s\n", json{{"group", d->group_id},
                             {"state", d->state},
                             {"protocol_type", d->protocol_type},
                             {"protocol", d->protocol_name},
                             {"generation", d->generation_id},
                             {"leader", d->leader_id},
                             {"members", members}}
                            .dump()
                            .c_str());
    return kExitOk;
  }
  std::printf("group %s: state=%s protocol_type=%s protocol=%s generation=%d leader=%s\n",
              d->group_id.c_str(), d->state.c_str(),
              d->protocol_type.empty() ? "-" : d->protocol_type.c_str(),
              d->protocol_name.empty() ? "-" : d->protocol_name.c_str(), d->generation_id,
              d->leader_id.empty() ? "-" : d->leader_id.c_str());
  Table table({"MEMBER", "CLIENT-ID", "HOST", "ASSIGNMENT"});
  for (const auto& m : d->members) {
    table.add_row({m.member_id, m.client_id, m.client_host, partitions_text(m.assignment)});
  }
  table.print(stdout);
  return kExitOk;
}

int run_delete(const CliContext& ctx, const std::string& group) {
  const std::string what = "group delete " + group;
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  if (Status st = (*admin)->delete_group(group); !st.ok()) return report_error(ctx, what, st);
  if (ctx.format() == OutputFormat::json) {
    std::printf("%s\n", json{{"group", group}, {"deleted", true}}.dump().c_str());
  } else {
    std::printf("deleted group %s\n", group.c_str());
  }
  return kExitOk;
}

}  // namespace

void add_group_commands(CLI::App& app, CliContext& ctx) {
  CLI::App* group = app.add_subcommand("group", "Consumer groups: members and offsets");
  group->require_subcommand(1);

  CLI::App* list = group->add_subcommand("list", "Every group with its state and members");
  list->callback([&ctx] { ctx.action = [&ctx] { return run_list(ctx); }; });

  auto name = std::make_shared<std::string>();
  CLI::App* describe = group->add_subcommand(
      "describe", "A group's state, protocol, generation and members with their partitions");
  describe->add_option("group", *name, "Group id")->required();
  describe->callback([&ctx, name] { ctx.action = [&ctx, name] { return run_describe(ctx, *name); }; });

  auto delete_name = std::make_shared<std::string>();
  CLI::App* remove = group->add_subcommand(
      "delete", "Delete a group without members, with its committed offsets");
  remove->add_option("group", *delete_name, "Group id")->required();
  remove->callback([&ctx, delete_name] {
    ctx.action = [&ctx, delete_name] { return run_delete(ctx, *delete_name); };
  });

  struct OffsetsFlags {
    std::string group;
    std::string topic;
  };
  auto of = std::make_shared<OffsetsFlags>();
  CLI::App* offsets = group->add_subcommand(
      "offsets", "Per partition: the group's committed offset, the log end and the lag");
  offsets->add_option("group", of->group, "Group id")->required();
  offsets->add_option("--topic", of->topic, "Only this topic (and all its partitions)");
  offsets->callback([&ctx, of] {
    ctx.action = [&ctx, of] { return run_offsets(ctx, of->group, of->topic); };
  });

  auto rf = std::make_shared<ResetFlags>();
  CLI::App* reset = group->add_subcommand(
      "reset", "Move an idle group's committed offsets of a topic");
  reset->add_option("group", rf->group, "Group id")->required();
  reset->add_option("--topic", rf->topic, "Topic whose offsets move")->required();
  auto* earliest = reset->add_flag("--to-earliest", rf->to_earliest, "To the log start");
  auto* latest = reset->add_flag("--to-latest", rf->to_latest, "To the log end");
  auto* offset = reset->add_option("--to-offset", rf->to_offset, "To this offset")
                     ->check(CLI::NonNegativeNumber);
  earliest->excludes(latest)->excludes(offset);
  latest->excludes(offset);
  reset->add_option("--partition", rf->partitions, "Only these partitions (repeatable)")
      ->check(CLI::NonNegativeNumber);
  reset->add_flag("--dry-run", rf->dry_run, "Show the new offsets without committing them");
  reset->callback([&ctx, rf] { ctx.action = [&ctx, rf] { return run_reset(ctx, *rf); }; });
}

}  // namespace strata::cli
