// strata-broker's command line and config file (broker/config.h): the group
// settings, their defaults in --help, and refusal of bad values.

#include <catch2/catch.hpp>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "broker/config.h"
#include "tests/support/temp_dir.h"

namespace strata::broker {
namespace {

// What parse_command_line returned, with what it printed.
struct Parsed {
  std::variant<BrokerConfig, int> result;
  std::string out;
  std::string err;
};

Parsed parse(std::vector<std::string> args) {
  args.insert(args.begin(), "strata-broker");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  std::ostringstream out;
  std::ostringstream err;
  std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
  std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
  Parsed p{parse_command_line(static_cast<int>(argv.size()), argv.data()), "", ""};
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  p.out = out.str();
  p.err = err.str();
  return p;
}

const BrokerConfig& config_of(const Parsed& p) {
  INFO(p.err);
  REQUIRE(std::holds_alternative<BrokerConfig>(p.result));
  return std::get<BrokerConfig>(p.result);
}

int exit_code_of(const Parsed& p) {
  REQUIRE(std::holds_alternative<int>(p.result));
  return std::get<int>(p.result);
}

TEST_CASE("group settings default to Kafka's values", "[broker][config]") {
  const Parsed p = parse({});
  const GroupCoordinatorOptions& groups = config_of(p).groups;
  CHECK(groups.min_session_timeout_ms == 6000);
  CHECK(groups.max_session_timeout_ms == 1800000);
  CHECK(groups.initial_rebalance_delay_ms == 3000);
}

TEST_CASE("--help lists the group flags with their defaults", "[broker][config]") {
  const Parsed p = parse({"--help"});
  CHECK(exit_code_of(p) == 0);
  INFO(p.out);
  for (const char* line : {"--group-min-session-timeout-ms", "--group-max-session-timeout-ms",
                           "--group-initial-rebalance-delay-ms"}) {
    CHECK(p.out.find(line) != std::string::npos);
  }
  CHECK(p.out.find("=6000\n") != std::string::npos);
  CHECK(p.out.find("=1800000\n") != std::string::npos);
  CHECK(p.out.find("=3000\n") != std::string::npos);
}

TEST_CASE("group flags set the coordinator's options", "[broker][config]") {
  const Parsed p =
      parse({"--group-min-session-timeout-ms", "10000", "--group-max-session-timeout-ms=60000",
             "--group-initial-rebalance-delay-ms", "0"});
  const GroupCoordinatorOptions& groups = config_of(p).groups;
  CHECK(groups.min_session_timeout_ms == 10000);
  CHECK(groups.max_session_timeout_ms == 60000);
  CHECK(groups.initial_rebalance_delay_ms == 0);
}

TEST_CASE("the config file accepts the group settings and flags win over it",
          "[broker][config]") {
  testing::TempDir dir;
  const std::string file = (dir / "broker.conf").string();
  {
    std::ofstream conf(file);
    conf << "group-min-session-timeout-ms = 1000\n"
         << "group-max-session-timeout-ms = 20000\n"
         << "group-initial-rebalance-delay-ms = 250\n";
  }
  const Parsed from_file = parse({"--config", file});
  const GroupCoordinatorOptions& groups = config_of(from_file).groups;
  CHECK(groups.min_session_timeout_ms == 1000);
  CHECK(groups.max_session_timeout_ms == 20000);
  CHECK(groups.initial_rebalance_delay_ms == 250);

  const Parsed overridden = parse({"--config", file, "--group-initial-rebalance-delay-ms", "5"});
  CHECK(config_of(overridden).groups.initial_rebalance_delay_ms == 5);
  CHECK(config_of(overridden).groups.min_session_timeout_ms == 1000);
}

TEST_CASE("a minimum session timeout above the maximum is refused at startup",
          "[broker][config]") {
  const Parsed p =
      parse({"--group-min-session-timeout-ms", "70000", "--group-max-session-timeout-ms", "60000"});
  CHECK(exit_code_of(p) == 2);
  INFO(p.err);
  CHECK(p.err.find("--group-min-session-timeout-ms (70000) must not exceed "
                   "--group-max-session-timeout-ms (60000)") != std::string::npos);
  // Equal bounds are allowed: exactly one session timeout is accepted.
  const Parsed equal =
      parse({"--group-min-session-timeout-ms", "30000", "--group-max-session-timeout-ms", "30000"});
  CHECK(config_of(equal).groups.max_session_timeout_ms == 30000);
}

TEST_CASE("negative or non-numeric group settings are refused", "[broker][config]") {
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"--group-min-session-timeout-ms", "-1"},
           {"--group-max-session-timeout-ms", "-5"},
           {"--group-initial-rebalance-delay-ms", "-100"},
           {"--group-initial-rebalance-delay-ms", "soon"},
           {"--group-max-session-timeout-ms", "99999999999"}}) {
    const Parsed p = parse(args);
    INFO(args[0] << " " << args[1]);
    CHECK(exit_code_of(p) != 0);
    CHECK(p.err.find(args[0]) != std::string::npos);
  }
}

TEST_CASE("the Kafka listener's security settings default to PLAINTEXT and SCRAM",
          "[broker][config][security]") {
  const Parsed p = parse({});
  CHECK(config_of(p).kafka_security_protocol == "PLAINTEXT");
  CHECK(config_of(p).kafka_sasl_mechanisms == "SCRAM-SHA-256,SCRAM-SHA-512");
  CHECK_FALSE(config_of(p).kafka_sasl_allow_insecure_plain);
  const Parsed help = parse({"--help"});
  CHECK(help.out.find("--kafka-security-protocol TEXT:{PLAINTEXT,SASL_PLAINTEXT}=PLAINTEXT") !=
        std::string::npos);
  CHECK(help.out.find("--kafka-sasl-mechanisms TEXT=SCRAM-SHA-256,SCRAM-SHA-512") !=
        std::string::npos);
}

TEST_CASE("PLAIN on SASL_PLAINTEXT is refused at start unless the insecure setting says so",
          "[broker][config][security]") {
  const Parsed refused = parse({"--kafka-security-protocol", "SASL_PLAINTEXT",
                                "--kafka-sasl-mechanisms", "SCRAM-SHA-256,PLAIN"});
  CHECK(exit_code_of(refused) == 2);
  CHECK(refused.err.find("PLAIN on SASL_PLAINTEXT") != std::string::npos);
  const Parsed allowed =
      parse({"--kafka-security-protocol", "SASL_PLAINTEXT", "--kafka-sasl-mechanisms", "PLAIN",
             "--kafka-sasl-allow-insecure-plain"});
  CHECK(config_of(allowed).kafka_sasl_mechanisms == "PLAIN");
  // On PLAINTEXT nothing authenticates, so listing PLAIN sends nothing in clear.
  CHECK(std::holds_alternative<BrokerConfig>(parse({"--kafka-sasl-mechanisms", "PLAIN"}).result));
  CHECK(exit_code_of(parse({"--kafka-sasl-mechanisms", "GSSAPI"})) == 2);
  CHECK(exit_code_of(parse({"--kafka-security-protocol", "SSL"})) != 0);
}

TEST_CASE("the security settings can come from the config file", "[broker][config][security]") {
  testing::TempDir dir("strata-config");
  const auto file = dir / "broker.conf";
  std::ofstream(file) << "kafka-security-protocol = SASL_PLAINTEXT\n"
                         "kafka-sasl-mechanisms = SCRAM-SHA-512\n";
  const Parsed p = parse({"--config", file.string()});
  CHECK(config_of(p).kafka_security_protocol == "SASL_PLAINTEXT");
  CHECK(config_of(p).kafka_sasl_mechanisms == "SCRAM-SHA-512");
}

}  // namespace
}  // namespace strata::broker
