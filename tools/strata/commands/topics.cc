#include "tools/strata/commands/topics.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tools/strata/table.h"
#include "tools/strata/topic_name.h"

namespace strata::cli {
namespace {

using nlohmann::json;

struct CreateFlags {
  std::string topic;
  std::int32_t partitions = 0;  // 0: the broker's default
  std::int32_t replication_factor = 0;
  std::vector<std::string> configs;  // k=v
};

// Checks `name` before anything is sent; prints the problem when invalid.
bool check_topic_name(const std::string& what, const std::string& name) {
  Status st = validate_topic_name(name);
  if (st.ok()) return true;
  std::fprintf(stderr, "strata: %s: %s\n", what.c_str(), st.message().c_str());
  return false;
}

int run_create(const CliContext& ctx, const CreateFlags& f) {
  const std::string what = "topic create " + f.topic;
  if (!check_topic_name(what, f.topic)) return kExitUsage;
  std::map<std::string, std::string> configs;
  for (const std::string& kv : f.configs) {
    const auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::fprintf(stderr, "strata: %s: --config '%s' is not key=value\n", what.c_str(),
                   kv.c_str());
      return kExitUsage;
    }
    configs[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  Status st = (*admin)->create_topic(f.topic, f.partitions, configs, f.replication_factor);
  if (!st.ok()) return report_error(ctx, what, st);
  if (ctx.format() == OutputFormat::json) {
    std::printf("%s\n", json{{"topic", f.topic}, {"created", true}}.dump().c_str());
  } else {
    std::printf("created topic %s\n", f.topic.c_str());
  }
  return kExitOk;
}

int run_list(const CliContext& ctx, bool include_internal) {
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, "topic list", admin.status());
  auto topics = (*admin)->list_topics(include_internal);
  if (!topics.ok()) return report_error(ctx, "topic list", topics.status());
  if (ctx.format() == OutputFormat::json) {
    json out = json::array();
    for (const auto& t : *topics) {
      out.push_back({{"name", t.name},
                     {"partitions", t.partitions},
                     {"replication_factor", t.replication_factor},
                     {"internal", t.is_internal}});
    }
    std::printf("%s\n", out.dump().c_str());
    return kExitOk;
  }
  Table table({"TOPIC", "PARTITIONS", "REPLICATION"});
  for (const auto& t : *topics) {
    table.add_row({t.name, std::to_string(t.partitions), std::to_string(t.replication_factor)});
  }
  table.print(stdout);
  return kExitOk;
}

std::string ids(const std::vector<BrokerId>& v) {
  std::string out;
  for (BrokerId id : v) out += (out.empty() ? "" : ",") + std::to_string(id.value());
  return out;
}

json describe_json(const client::TopicDescription& d) {
  json partitions = json::array();
  for (const auto& p : d.partitions) {
    json replicas = json::array();
    for (BrokerId id : p.replicas) replicas.push_back(id.value());
    json isr = json::array();
    for (BrokerId id : p.isr) isr.push_back(id.value());
    json row{{"partition", p.partition.value()},
             {"leader", p.leader.value()},
             {"leader_epoch", p.leader_epoch.value()},
             {"replicas", replicas},
             {"isr", isr},
             {"log_start_offset", p.log_start_offset.value()},
             {"log_end_offset", p.log_end_offset.value()},
             {"high_watermark", p.high_watermark.value()},
             {"size_bytes", p.size_bytes},
             {"write_state", client::to_string(p.write_state)}};
    if (!p.error.ok()) row["error"] = p.error.to_string();
    if (!p.write_error.ok()) row["write_error"] = p.write_error.to_string();
    partitions.push_back(row);
  }
  json configs = json::object();
  for (const auto& c : d.configs) configs[c.name] = c.value;
  return {{"name", d.name}, {"internal", d.is_internal}, {"partitions", partitions},
          {"configs", configs}};
}

int run_describe(const CliContext& ctx, const std::string& topic) {
  const std::string what = "topic describe " + topic;
  if (!check_topic_name(what, topic)) return kExitUsage;
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  auto d = (*admin)->describe_topic(topic);
  if (!d.ok()) return report_error(ctx, what, d.status());
  if (ctx.format() == OutputFormat::json) {
    std::printf("%s\n", describe_json(*d).dump().c_str());
    return kExitOk;
  }
  std::printf("topic %s  partitions %zu%s\n", d->name.c_str(), d->partitions.size(),
              d->is_internal ? "  (internal)" : "");
  Table table({"PARTITION", "LEADER", "EPOCH", "REPLICAS", "ISR", "LOG-START", "LOG-END", "HW",
               "SIZE", "STATE"});
  for (const auto& p : d->partitions) {
    table.add_row({std::to_string(p.partition.value()), std::to_string(p.leader.value()),
                   std::to_string(p.leader_epoch.value()), ids(p.replicas), ids(p.isr),
                   std::to_string(p.log_start_offset.value()),
                   std::to_string(p.log_end_offset.value()),
                   std::to_string(p.high_watermark.value()), std::to_string(p.size_bytes),
                   client::to_string(p.write_state)});
  }
  table.print(stdout);
  // Why a partition refuses appends, one line each, below the table.
  for (const auto& p : d->partitions) {
    if (p.write_error.ok()) continue;
    std::printf("partition %d %s: %s\n", p.partition.value(), client::to_string(p.write_state),
                p.write_error.to_string().c_str());
  }
  if (!d->configs.empty()) {
    std::printf("\n");
    Table configs({"CONFIG", "VALUE", "SOURCE"});
    for (const auto& c : d->configs) {
      configs.add_row({c.name, c.value, c.is_default ? "default" : "topic"});
    }
    configs.print(stdout);
  }
  return kExitOk;
}

int run_delete(const CliContext& ctx, const std::string& topic) {
  const std::string what = "topic delete " + topic;
  if (!check_topic_name(what, topic)) return kExitUsage;
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  Status st = (*admin)->delete_topic(topic);
  if (!st.ok()) return report_error(ctx, what, st);
  if (ctx.format() == OutputFormat::json) {
    std::printf("%s\n", json{{"topic", topic}, {"deleted", true}}.dump().c_str());
  } else {
    std::printf("deleted topic %s\n", topic.c_str());
  }
  return kExitOk;
}

int run_add_partitions(const CliContext& ctx, const std::string& topic, std::int32_t count) {
  const std::string what = "topic add-partitions " + topic;
  if (!check_topic_name(what, topic)) return kExitUsage;
  if (count < 1) {
    std::fprintf(stderr, "strata: %s: --count must be at least 1 (got %d)\n", what.c_str(),
                 count);
    return kExitUsage;
  }
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, what, admin.status());
  auto d = (*admin)->describe_topic(topic);
  if (!d.ok()) return report_error(ctx, what, d.status());
  const auto before = static_cast<std::int32_t>(d->partitions.size());
  Status st = (*admin)->add_partitions(topic, before + count);
  if (!st.ok()) return report_error(ctx, what, st);
  if (ctx.format() == OutputFormat::json) {
    const json out{
        {"topic", topic}, {"partitions_before", before}, {"partitions", before + count}};
    std::printf("%s\n", out.dump().c_str());
  } else {
    std::printf("topic %s: partitions %d -> %d\n", topic.c_str(), before, before + count);
  }
  return kExitOk;
}

}  // namespace

void add_topic_commands(CLI::App& app, CliContext& ctx) {
  CLI::App* topic = app.add_subcommand("topic", "Create, list, describe and delete topics");
  topic->require_subcommand(1);

  auto create_flags = std::make_shared<CreateFlags>();
  CLI::App* create = topic->add_subcommand("create", "Create a topic");
  create->add_option("topic", create_flags->topic, "Topic name")->required();
  create->add_option("--partitions", create_flags->partitions,
                     "Partition count, at least 1 (default: the broker's default)")
      ->check(CLI::Range(1, 1 << 20));
  create->add_option("--replication-factor", create_flags->replication_factor,
                     "Replicas per partition (default: the broker's default)")
      ->check(CLI::Range(1, 1 << 10));
  create->add_option("--config", create_flags->configs,
                     "A topic setting key=value (retention.ms, retention.bytes, segment.bytes, "
                     "...); repeatable");
  create->callback([&ctx, create_flags] {
    ctx.action = [&ctx, create_flags] { return run_create(ctx, *create_flags); };
  });

  auto include_internal = std::make_shared<bool>(false);
  CLI::App* list = topic->add_subcommand("list", "List topics");
  list->add_flag("--include-internal", *include_internal, "Also list internal topics");
  list->callback([&ctx, include_internal] {
    ctx.action = [&ctx, include_internal] { return run_list(ctx, *include_internal); };
  });

  auto describe_topic = std::make_shared<std::string>();
  CLI::App* describe = topic->add_subcommand(
      "describe", "Show a topic's partitions (offsets, leader, size) and configs");
  describe->add_option("topic", *describe_topic, "Topic name")->required();
  describe->callback([&ctx, describe_topic] {
    ctx.action = [&ctx, describe_topic] { return run_describe(ctx, *describe_topic); };
  });

  auto delete_topic = std::make_shared<std::string>();
  CLI::App* del = topic->add_subcommand("delete", "Delete a topic and its data");
  del->add_option("topic", *delete_topic, "Topic name")->required();
  del->callback([&ctx, delete_topic] {
    ctx.action = [&ctx, delete_topic] { return run_delete(ctx, *delete_topic); };
  });

  struct AddFlags {
    std::string topic;
    std::int32_t count = 0;
  };
  auto add_flags = std::make_shared<AddFlags>();
  CLI::App* add = topic->add_subcommand("add-partitions", "Add partitions to a topic");
  add->add_option("topic", add_flags->topic, "Topic name")->required();
  add->add_option("--count", add_flags->count, "How many partitions to add (at least 1)")
      ->required();
  add->callback([&ctx, add_flags] {
    ctx.action = [&ctx, add_flags] {
      return run_add_partitions(ctx, add_flags->topic, add_flags->count);
    };
  });
}

}  // namespace strata::cli
