#include "tools/strata/commands/users.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "common/secret.h"
#include "tools/strata/table.h"

namespace strata::cli {
namespace {

struct CreateArgs {
  std::string name;
  std::string password_file;
  std::string password_env;
  bool password_stdin = false;
  std::int32_t iterations = 4096;
};

// One trailing newline is not part of the password (echo, editors).
std::string without_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

Result<Secret> read_password(const CreateArgs& args) {
  const int sources = (args.password_file.empty() ? 0 : 1) + (args.password_env.empty() ? 0 : 1) +
                      (args.password_stdin ? 1 : 0);
  if (sources != 1) {
    return invalid_argument_error(
        "give exactly one of --password-file, --password-env, --password-stdin");
  }
  std::string text;
  if (!args.password_file.empty()) {
    std::ifstream in(args.password_file, std::ios::binary);
    if (!in) return invalid_argument_error("cannot read " + args.password_file);
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  } else if (!args.password_env.empty()) {
    const char* value = std::getenv(args.password_env.c_str());
    if (value == nullptr) return invalid_argument_error("$" + args.password_env + " is not set");
    text = value;
  } else {
    std::getline(std::cin, text);
  }
  Secret password(without_newline(std::move(text)));
  if (password.empty()) return invalid_argument_error("the password is empty");
  return password;
}

int run_create(const CliContext& ctx, const CreateArgs& args) {
  auto password = read_password(args);
  if (!password.ok()) {
    std::fprintf(stderr, "strata: user create %s: %s\n", args.name.c_str(),
                 password.status().message().c_str());
    return kExitUsage;  // nothing was sent
  }
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, "user create", admin.status());
  const Status st = (*admin)->create_user(args.name, *password, args.iterations);
  if (!st.ok()) return report_error(ctx, "user create " + args.name, st);
  std::printf("created user %s (SCRAM-SHA-256, SCRAM-SHA-512)\n", args.name.c_str());
  return kExitOk;
}

int run_delete(const CliContext& ctx, const std::string& name) {
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, "user delete", admin.status());
  const Status st = (*admin)->delete_user(name);
  if (!st.ok()) return report_error(ctx, "user delete " + name, st);
  std::printf("deleted user %s\n", name.c_str());
  return kExitOk;
}

int run_list(const CliContext& ctx) {
  auto admin = ctx.admin();
  if (!admin.ok()) return report_error(ctx, "user list", admin.status());
  auto users = (*admin)->list_users();
  if (!users.ok()) return report_error(ctx, "user list", users.status());
  if (ctx.format() == OutputFormat::json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& u : *users) out.push_back({{"name", u.name}, {"mechanisms", u.mechanisms}});
    std::printf("%s\n", out.dump().c_str());
    return kExitOk;
  }
  Table table({"USER", "MECHANISMS"});
  for (const auto& u : *users) {
    std::string mechanisms;
    for (const auto& m : u.mechanisms) mechanisms += (mechanisms.empty() ? "" : ",") + m;
    table.add_row({u.name, mechanisms});
  }
  table.print(stdout);
  return kExitOk;
}

}  // namespace

void add_user_commands(CLI::App& app, CliContext& ctx) {
  CLI::App* user = app.add_subcommand("user", "SASL users of the Kafka listener");
  user->require_subcommand(1);

  auto create_args = std::make_shared<CreateArgs>();
  CLI::App* create = user->add_subcommand(
      "create", "Create a user, or set a new password (stored as SCRAM-SHA-256 and -512 records)");
  create->add_option("name", create_args->name, "User name (no ',' or '=')")->required();
  create->add_option("--password-file", create_args->password_file,
                     "Read the password from FILE (one trailing newline is dropped)");
  create->add_option("--password-env", create_args->password_env,
                     "Read the password from environment variable VAR");
  create->add_flag("--password-stdin", create_args->password_stdin,
                   "Read the password from the first line of stdin");
  create->add_option("--iterations", create_args->iterations, "PBKDF2 iterations")
      ->check(CLI::Range(4096, 16384))
      ->capture_default_str();
  create->callback([&ctx, create_args] {
    ctx.action = [&ctx, create_args] { return run_create(ctx, *create_args); };
  });

  auto delete_name = std::make_shared<std::string>();
  CLI::App* remove = user->add_subcommand("delete", "Delete a user");
  remove->add_option("name", *delete_name, "User name")->required();
  remove->callback([&ctx, delete_name] {
    ctx.action = [&ctx, delete_name] { return run_delete(ctx, *delete_name); };
  });

  CLI::App* list = user->add_subcommand("list", "List the users and their mechanisms");
  list->callback([&ctx] { ctx.action = [&ctx] { return run_list(ctx); }; });
}

}  // namespace strata::cli
