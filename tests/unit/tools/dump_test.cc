// Runs the real strata-dump binary on segment files built here, clean and
// damaged, and checks its report and exit status.

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/compression.h"
#include "common/endian.h"
#include "common/record_batch.h"
#include "common/record_batch_builder.h"
#include "storage/log_options.h"
#include "storage/partition_log.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait.h"

extern char** environ;

namespace strata::dump {
namespace {

using strata::testing::TempDir;
namespace fs = std::filesystem;

struct DumpRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Runs strata-dump with `args`, stdout and stderr captured in files under
// `scratch`; kills it by PID if it runs longer than 30 s.
DumpRun run_dump(const TempDir& scratch, std::vector<std::string> args) {
  const fs::path out_path = scratch / "dump.out";
  const fs::path err_path = scratch / "dump.err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  args.insert(args.begin(), STRATA_DUMP_PATH);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  pid_t pid = -1;
  const int spawn_rc = posix_spawn(&pid, STRATA_DUMP_PATH, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  REQUIRE(spawn_rc == 0);

  int wait_status = 0;
  const bool exited = strata::testing::wait_until(
      [&] { return waitpid(pid, &wait_status, WNOHANG) == pid; }, std::chrono::seconds(30));
  if (!exited) {
    kill(pid, SIGKILL);
    waitpid(pid, &wait_status, 0);
    FAIL("strata-dump did not exit within 30 s");
  }
  REQUIRE(WIFEXITED(wait_status));
  return DumpRun{WEXITSTATUS(wait_status), read_file(out_path), read_file(err_path)};
}

// One batch at `base_offset` of `count` records: key "k<offset>", value
// "v<offset>", timestamp 1000 + offset.
Buffer make_batch(std::int64_t base_offset, int count) {
  RecordBatchBuilder builder(RecordBatchOptions{.base_offset = Offset(base_offset)});
  for (int i = 0; i < count; ++i) {
    const std::int64_t offset = base_offset + i;
    const std::string key = "k" + std::to_string(offset);
    const std::string value = "v" + std::to_string(offset);
    REQUIRE(builder.append(1000 + offset, as_bytes(key), as_bytes(value)).ok());
  }
  Result<Buffer> batch = builder.build();
  REQUIRE(batch.ok());
  return std::move(batch).value();
}

std::string segment_name(std::int64_t base_offset) {
  char name[32];
  std::snprintf(name, sizeof(name), "%020lld.log", static_cast<long long>(base_offset));
  return name;
}

// Writes `batches` back to back as one segment file; returns each batch's
// byte position in it.
std::vector<std::uint64_t> write_segment(const fs::path& file, const std::vector<Buffer>& batches) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  std::vector<std::uint64_t> positions;
  std::uint64_t position = 0;
  for (const Buffer& b : batches) {
    positions.push_back(position);
    out.write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    position += b.size();
  }
  REQUIRE(out.good());
  return positions;
}

void corrupt_byte(const fs::path& file, std::uint64_t position) {
  std::fstream f(file, std::ios::binary | std::ios::in | std::ios::out);
  f.seekg(static_cast<std::streamoff>(position));
  char c = 0;
  f.get(c);
  f.seekp(static_cast<std::streamoff>(position));
  f.put(static_cast<char>(c ^ 0x5a));
  REQUIRE(f.good());
}

void truncate_file(const fs::path& file, std::uint64_t size) {
  fs::resize_file(file, size);
}

TEST_CASE("strata-dump reports counts, offsets and timestamps of a clean partition",
          "[tools][dump]") {
  TempDir dir;
  write_segment(dir / segment_name(0), {make_batch(0, 3), make_batch(3, 2), make_batch(5, 5)});
  write_segment(dir / segment_name(10), {make_batch(10, 4)});

  DumpRun run = run_dump(dir, {dir.path().string()});
  CHECK(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK_THAT(run.out, Catch::Contains("file=" + (dir / segment_name(0)).string() +
                                      " base_offset=0 "));
  CHECK_THAT(run.out, Catch::Contains("batches=3 records=10 offsets=0..9 first_max_timestamp=1002 "
                                      "last_max_timestamp=1009 crc=ok truncated=no"));
  CHECK_THAT(run.out, Catch::Contains("base_offset=10 "));
  CHECK_THAT(run.out, Catch::Contains("batches=1 records=4 offsets=10..13"));
  CHECK_THAT(run.out, Catch::Contains("total segments=2 batches=4 records=14 findings=0"));
}

TEST_CASE("strata-dump reads a single segment file and prints its size", "[tools][dump]") {
  TempDir dir;
  const fs::path file = dir / segment_name(7);
  write_segment(file, {make_batch(7, 2)});
  DumpRun run = run_dump(dir, {file.string()});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("base_offset=7 size_bytes=" +
                                      std::to_string(fs::file_size(file)) +
                                      " batches=1 records=2"));
}

TEST_CASE("strata-dump exits 1 and names the byte position of a batch with a flipped byte",
          "[tools][dump]") {
  TempDir dir;
  const fs::path file = dir / segment_name(0);
  const auto positions =
      write_segment(file, {make_batch(0, 3), make_batch(3, 3), make_batch(6, 3)});
  corrupt_byte(file, positions[1] + batch_layout::kHeaderSize + 4);

  DumpRun run = run_dump(dir, {dir.path().string()});
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains(file.string() + ": byte " + std::to_string(positions[1]) +
                                      ": record batch crc mismatch"));
  // The scan goes on past a bad CRC: the third batch still counts.
  CHECK_THAT(run.out, Catch::Contains("batches=3 records=6 offsets=0..8"));
  CHECK_THAT(run.out, Catch::Contains("crc=failed(1)"));
}

TEST_CASE("strata-dump reports a truncated tail with its position", "[tools][dump]") {
  TempDir dir;
  const fs::path file = dir / segment_name(0);
  const auto positions = write_segment(file, {make_batch(0, 3), make_batch(3, 3)});
  const std::uint64_t size = fs::file_size(file);

  SECTION("the file ends inside a batch's records") {
    truncate_file(file, size - 5);
    DumpRun run = run_dump(dir, {file.string()});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("byte " + std::to_string(positions[1]) +
                                        ": truncated batch"));
    CHECK_THAT(run.out, Catch::Contains("batches=1 records=3 offsets=0..2"));
    CHECK_THAT(run.out, Catch::Contains("truncated=yes"));
  }
  SECTION("the file ends inside a batch header") {
    truncate_file(file, positions[1] + 20);
    DumpRun run = run_dump(dir, {file.string()});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("byte " + std::to_string(positions[1]) +
                                        ": truncated batch header"));
  }
}

TEST_CASE("strata-dump flags offsets that go backwards, within and across segments",
          "[tools][dump]") {
  TempDir dir;
  SECTION("within a segment") {
    const fs::path file = dir / segment_name(0);
    const auto positions = write_segment(file, {make_batch(0, 5), make_batch(3, 2)});
    DumpRun run = run_dump(dir, {file.string()});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains("byte " + std::to_string(positions[1]) +
                                        ": batch base offset 3 does not follow"));
  }
  SECTION("across segments") {
    write_segment(dir / segment_name(0), {make_batch(0, 5)});
    write_segment(dir / segment_name(4), {make_batch(4, 2)});
    DumpRun run = run_dump(dir, {dir.path().string()});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(segment_name(4) + ": byte 0: batch base offset 4 does not "
                                                          "follow the previous segment"));
  }
}

TEST_CASE("strata-dump --records prints every record with binary bytes escaped", "[tools][dump]") {
  TempDir dir;
  RecordBatchBuilder builder(RecordBatchOptions{.base_offset = Offset(20)});
  const std::string binary("\x00\xff\"\\\n", 5);
  const std::vector<RecordHeader> headers = {RecordHeader{"trace", to_buffer("abc")},
                                             RecordHeader{"empty", std::nullopt}};
  REQUIRE(builder.append(5000, as_bytes("plain-key"), as_bytes("plain value")).ok());
  REQUIRE(builder.append(5001, std::nullopt, as_bytes(binary), headers).ok());
  Result<Buffer> batch = builder.build();
  REQUIRE(batch.ok());
  write_segment(dir / segment_name(20), {*batch});

  DumpRun run = run_dump(dir, {"--records", dir.path().string()});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("batch position=0 base_offset=20 last_offset=21 records=2"));
  CHECK_THAT(run.out, Catch::Contains(
                          "record offset=20 timestamp=5000 key=\"plain-key\" value=\"plain value\" "
                          "headers=[]"));
  CHECK_THAT(run.out, Catch::Contains("record offset=21 timestamp=5001 key=null "
                                      "value=\"\\x00\\xff\\\"\\\\\\n\" "
                                      "headers=[\"trace\"=\"abc\", \"empty\"=null]"));
}

// Index files as docs/formats/partition-log.md lays them out: big-endian
// (relative_offset u32, position u32) and (timestamp i64, relative_offset u32).
void write_offset_index(const fs::path& file,
                        const std::vector<std::pair<std::uint32_t, std::uint32_t>>& entries) {
  Buffer bytes(entries.size() * 8);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    store_be<std::uint32_t>(bytes.data() + i * 8, entries[i].first);
    store_be<std::uint32_t>(bytes.data() + i * 8 + 4, entries[i].second);
  }
  write_segment(file, {bytes});
}

void write_time_index(const fs::path& file,
                      const std::vector<std::pair<std::int64_t, std::uint32_t>>& entries) {
  Buffer bytes(entries.size() * 12);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    store_be<std::int64_t>(bytes.data() + i * 12, entries[i].first);
    store_be<std::uint32_t>(bytes.data() + i * 12 + 8, entries[i].second);
  }
  write_segment(file, {bytes});
}

TEST_CASE("strata-dump --verify-index accepts matching indexes and flags entries that disagree",
          "[tools][dump]") {
  TempDir dir;
  const fs::path log = dir / segment_name(100);
  const fs::path index = dir / "00000000000000000100.index";
  const fs::path time_index = dir / "00000000000000000100.timeindex";
  // Offsets 100..102, 103..104, 105..109; max timestamps 1102, 1104, 1109.
  const auto positions =
      write_segment(log, {make_batch(100, 3), make_batch(103, 2), make_batch(105, 5)});
  const auto p1 = static_cast<std::uint32_t>(positions[1]);
  const auto p2 = static_cast<std::uint32_t>(positions[2]);

  SECTION("matching indexes are clean") {
    write_offset_index(index, {{3, p1}, {5, p2}});
    write_time_index(time_index, {{1104, 3}, {1109, 5}});
    DumpRun run = run_dump(dir, {"--verify-index", dir.path().string()});
    CHECK(run.exit_code == 0);
    CHECK(run.err.empty());
  }
  SECTION("missing index files are not damage") {
    DumpRun run = run_dump(dir, {"--verify-index", dir.path().string()});
    CHECK(run.exit_code == 0);
  }
  SECTION("an offset entry that points inside a batch") {
    write_offset_index(index, {{3, p1}, {5, p2 + 1}});
    DumpRun run = run_dump(dir, {"--verify-index", log.string()});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(index.string() + ": byte 8: entry (5, " +
                                        std::to_string(p2 + 1) + ") points to log byte"));
  }
  SECTION("an offset entry whose offset does not match its batch") {
    write_offset_index(index, {{4, p1}});
    DumpRun run = run_dump(dir, {"--verify-index", log.string()});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(index.string() + ": byte 0: entry (4, " +
                                        std::to_string(p1) + ") says offset 104"));
  }
  SECTION("a time entry below the batches it covers") {
    write_time_index(time_index, {{1104, 3}, {1108, 5}});
    DumpRun run = run_dump(dir, {"--verify-index", log.string()});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(time_index.string() +
                                        ": byte 12: entry (1108, 5): the batches up to offset 105 "
                                        "reach max timestamp 1109"));
  }
  SECTION("a partial entry at the end of an index") {
    write_offset_index(index, {{3, p1}});
    std::ofstream(index, std::ios::binary | std::ios::app) << "xyz";
    DumpRun run = run_dump(dir, {"--verify-index", log.string()});
    CHECK(run.exit_code == 1);
    CHECK_THAT(run.err, Catch::Contains(index.string() + ": byte 8: partial entry"));
  }
  SECTION("without --verify-index the indexes are not read") {
    write_offset_index(index, {{4, p1}});
    CHECK(run_dump(dir, {log.string()}).exit_code == 0);
  }
}

TEST_CASE("strata-dump --verify-index finds a log written by PartitionLog clean", "[tools][dump]") {
  TempDir dir;
  const fs::path partition = dir / "orders-0";
  storage::LogOptions options;
  options.segment_bytes = 2048;
  options.index_interval_bytes = 200;
  options.durable = false;
  {
    auto log = storage::PartitionLog::open(partition, options);
    REQUIRE(log.ok());
    for (int i = 0; i < 40; ++i) {
      Buffer batch = make_batch(0, 3);
      REQUIRE((*log)->append(batch).ok());
    }
    REQUIRE((*log)->close().ok());
  }
  REQUIRE(fs::exists(partition / segment_name(0)));

  DumpRun run = run_dump(dir, {"--verify-index", partition.string()});
  CHECK(run.exit_code == 0);
  CHECK(run.err.empty());
  CHECK_THAT(run.out, Catch::Contains("batches=40 records=120 findings=0"));
}

TEST_CASE("strata-dump --records decodes compressed batches", "[tools][dump]") {
  TempDir dir;
  const Compression codec = GENERATE(Compression::gzip, Compression::snappy, Compression::lz4,
                                     Compression::zstd);
  RecordBatchBuilder builder(RecordBatchOptions{.base_offset = Offset(0), .compression = codec});
  for (int i = 0; i < 3; ++i) {
    const std::string value = "value-" + std::to_string(i);
    REQUIRE(builder.append(2000 + i, as_bytes("key"), as_bytes(value)).ok());
  }
  Result<Buffer> batch = builder.build();
  REQUIRE(batch.ok());
  write_segment(dir / segment_name(0), {*batch});

  DumpRun run = run_dump(dir, {"--records", dir.path().string()});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains(std::string("codec=") + to_string(codec)));
  CHECK_THAT(run.out, Catch::Contains("record offset=2 timestamp=2002 key=\"key\" "
                                      "value=\"value-2\""));
}

TEST_CASE("strata-dump exits 2 on usage errors and 0 on --help", "[tools][dump]") {
  TempDir dir;
  CHECK(run_dump(dir, {}).exit_code == 2);
  CHECK(run_dump(dir, {"--no-such-flag", dir.path().string()}).exit_code == 2);
  DumpRun missing = run_dump(dir, {(dir / "absent").string()});
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("no such file or directory"));
  DumpRun help = run_dump(dir, {"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("--records"));
  CHECK_THAT(help.out, Catch::Contains("Exit status"));
}

TEST_CASE("strata-dump treats an empty partition directory as clean", "[tools][dump]") {
  TempDir dir;
  fs::create_directory(dir / "partition");
  DumpRun run = run_dump(dir, {(dir / "partition").string()});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("total segments=0 batches=0 records=0 findings=0"));
}

TEST_CASE("strata-dump --batches shows each batch's producer id, epoch and base sequence",
          "[tools][dump]") {
  TempDir dir;
  RecordBatchBuilder idempotent(RecordBatchOptions{.base_offset = Offset(0),
                                                   .producer_id = ProducerId(4711),
                                                   .producer_epoch = 3,
                                                   .base_sequence = 40});
  REQUIRE(idempotent.append(1000, as_bytes("k"), as_bytes("v")).ok());
  Result<Buffer> batch = idempotent.build();
  REQUIRE(batch.ok());
  write_segment(dir / segment_name(0), {*batch, make_batch(1, 2)});

  DumpRun run = run_dump(dir, {"--batches", dir.path().string()});
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("base_offset=0 last_offset=0 records=1"));
  CHECK_THAT(run.out, Catch::Contains("producer_id=4711 producer_epoch=3 base_sequence=40 "));
  CHECK_THAT(run.out, Catch::Contains("producer_id=-1 producer_epoch=-1 base_sequence=-1 "));
}

}  // namespace
}  // namespace strata::dump
