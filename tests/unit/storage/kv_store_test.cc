#include "storage/kv_store.h"

#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/temp_dir.h"

namespace strata::storage {
namespace {

using strata::testing::TempDir;
using namespace std::string_literals;

std::unique_ptr<KvStore> open_store(const std::filesystem::path& path,
                                    KvStoreOptions options = {}) {
  auto store = KvStore::open(path.string(), options);
  REQUIRE(store.ok());
  return std::move(store).value();
}

std::optional<std::string> get_value(const KvStore& store, std::string_view key) {
  auto value = store.get(key);
  REQUIRE(value.ok());
  return *value;
}

std::vector<std::string> keys_of(const std::vector<KvPair>& pairs) {
  std::vector<std::string> keys;
  for (const KvPair& p : pairs) keys.push_back(p.key);
  return keys;
}

TEST_CASE("kv store puts, gets and removes keys", "[storage][kv_store]") {
  TempDir dir;
  auto store = open_store(dir / "kv");

  CHECK(get_value(*store, "a") == std::nullopt);
  REQUIRE(store->put("a", "1").ok());
  CHECK(get_value(*store, "a") == "1");

  SECTION("a put replaces the previous value") {
    REQUIRE(store->put("a", "2").ok());
    CHECK(get_value(*store, "a") == "2");
  }
  SECTION("a removed key reads as absent") {
    REQUIRE(store->remove("a").ok());
    CHECK(get_value(*store, "a") == std::nullopt);
  }
  SECTION("removing an absent key is ok") {
    CHECK(store->remove("never-written").ok());
  }
  SECTION("binary keys and values round-trip, including zero bytes and empty values") {
    const std::string key("k\0\xff", 3);
    const std::string value("\0\x01\x80", 3);
    REQUIRE(store->put(key, value).ok());
    REQUIRE(store->put("empty", "").ok());
    CHECK(get_value(*store, key) == value);
    CHECK(get_value(*store, "empty") == std::string());
  }
}

TEST_CASE("kv store prefix scan returns matching keys in byte order", "[storage][kv_store]") {
  TempDir dir;
  auto store = open_store(dir / "kv", KvStoreOptions{.sync_writes = false});
  for (const char* key : {"g/2", "g/10", "g/1", "g", "f/9", "h/0", "g0", "g/\xff"}) {
    REQUIRE(store->put(key, std::string("v-") + key).ok());
  }

  SECTION("only keys with the prefix, ascending bytewise") {
    auto pairs = store->scan_prefix("g/");
    REQUIRE(pairs.ok());
    CHECK(keys_of(*pairs) == std::vector<std::string>{"g/1", "g/10", "g/2", "g/\xff"});
    CHECK((*pairs)[0].value == "v-g/1");
  }
  SECTION("the limit stops the scan after that many pairs") {
    auto pairs = store->scan_prefix("g/", 2);
    REQUIRE(pairs.ok());
    CHECK(keys_of(*pairs) == std::vector<std::string>{"g/1", "g/10"});
    auto none = store->scan_prefix("g/", 0);
    REQUIRE(none.ok());
    CHECK(none->empty());
  }
  SECTION("an empty prefix scans everything") {
    auto pairs = store->scan_prefix("");
    REQUIRE(pairs.ok());
    CHECK(pairs->size() == 8);
    CHECK(pairs->front().key == "f/9");
  }
  SECTION("a prefix that matches nothing gives an empty list") {
    auto pairs = store->scan_prefix("zz");
    REQUIRE(pairs.ok());
    CHECK(pairs->empty());
  }
}

TEST_CASE("kv store prefix scan works at the end of the key space", "[storage][kv_store]") {
  TempDir dir;
  auto store = open_store(dir / "kv", KvStoreOptions{.sync_writes = false});
  REQUIRE(store->put("\xfe\xff", "before").ok());
  REQUIRE(store->put("\xff", "a").ok());
  REQUIRE(store->put("\xff\x00"s, "b").ok());
  REQUIRE(store->put("\xff\xff", "c").ok());
  REQUIRE(store->put("\xff\xff\xff", "d").ok());

  auto all_ff = store->scan_prefix("\xff");
  REQUIRE(all_ff.ok());
  CHECK(keys_of(*all_ff) ==
        std::vector<std::string>{"\xff", "\xff\x00"s, "\xff\xff", "\xff\xff\xff"});

  auto ff_ff = store->scan_prefix("\xff\xff");
  REQUIRE(ff_ff.ok());
  CHECK(keys_of(*ff_ff) == std::vector<std::string>{"\xff\xff", "\xff\xff\xff"});

  auto fe = store->scan_prefix("\xfe");
  REQUIRE(fe.ok());
  CHECK(keys_of(*fe) == std::vector<std::string>{"\xfe\xff"});
}

TEST_CASE("kv store write batch applies all its ops together in order", "[storage][kv_store]") {
  TempDir dir;
  auto store = open_store(dir / "kv");
  REQUIRE(store->put("old", "x").ok());

  KvWriteBatch batch;
  batch.put("a", "1").put("b", "2").remove("old").put("a", "3");
  CHECK(batch.size() == 4);

  SECTION("nothing is visible before write, everything after") {
    CHECK(get_value(*store, "a") == std::nullopt);
    REQUIRE(store->write(batch).ok());
    CHECK(get_value(*store, "a") == "3");
    CHECK(get_value(*store, "b") == "2");
    CHECK(get_value(*store, "old") == std::nullopt);
  }
  SECTION("an empty batch is ok and changes nothing") {
    REQUIRE(store->write(KvWriteBatch()).ok());
    CHECK(get_value(*store, "old") == "x");
  }
}

TEST_CASE("kv store data survives close and reopen", "[storage][kv_store]") {
  TempDir dir;
  const auto path = dir / "kv";
  {
    auto store = open_store(path);
    REQUIRE(store->put("durable", "yes").ok());
    REQUIRE(store->write(KvWriteBatch().put("b1", "1").put("b2", "2")).ok());
    REQUIRE(store->put("gone", "soon").ok());
    REQUIRE(store->remove("gone").ok());
  }
  {
    auto store = open_store(path, KvStoreOptions{.sync_writes = false});
    REQUIRE(store->put("unsynced", "1").ok());
    REQUIRE(store->sync_wal().ok());
  }
  auto store = open_store(path, KvStoreOptions{.create_if_missing = false});
  CHECK(get_value(*store, "durable") == "yes");
  CHECK(get_value(*store, "b2") == "2");
  CHECK(get_value(*store, "gone") == std::nullopt);
  CHECK(get_value(*store, "unsynced") == "1");
}

TEST_CASE("kv store open reports clear errors for bad paths", "[storage][kv_store]") {
  TempDir dir;

  SECTION("a path that is a regular file") {
    const auto file = dir / "plain-file";
    std::ofstream(file) << "not a database";
    auto store = KvStore::open(file.string());
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == ErrorCode::invalid_argument);
    CHECK_THAT(store.status().message(), Catch::Contains("not a directory"));
    CHECK_THAT(store.status().message(), Catch::Contains(file.string()));
  }
  SECTION("a missing store without create_if_missing") {
    auto store =
        KvStore::open((dir / "absent").string(), KvStoreOptions{.create_if_missing = false});
    REQUIRE_FALSE(store.ok());
    CHECK(store.status().code() == ErrorCode::invalid_argument);
  }
  SECTION("a store that is already open is locked") {
    auto first = open_store(dir / "kv");
    auto second = KvStore::open((dir / "kv").string());
    REQUIRE_FALSE(second.ok());
    CHECK(second.status().code() == ErrorCode::io_error);
  }
}

}  // namespace
}  // namespace strata::storage
