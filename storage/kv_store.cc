#include "storage/kv_store.h"

#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <system_error>
#include <utility>

#include <rocksdb/db.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/status.h>
#include <rocksdb/write_batch.h>

#include "storage/logger.h"

namespace strata::storage {

namespace {

rocksdb::Slice to_slice(std::string_view s) { return {s.data(), s.size()}; }

// RocksDB's own log goes to the storage logger (its errors as warn, its
// warnings, often benign, as info, the rest at debug), not to a LOG file
// beside the store: a LOG write that fails on a full disk leaves RocksDB's
// file writer in an error state that aborts the broker when the store closes
// (librocksdb 7.8 asserts), long after space came back.
class InfoLogger final : public rocksdb::Logger {
 public:
  InfoLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::INFO_LEVEL) {}

  void Logv(const char* format, va_list ap) override {
    Logv(rocksdb::InfoLogLevel::INFO_LEVEL, format, ap);
  }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    spdlog::level::level_enum ours = spdlog::level::debug;
    if (level >= rocksdb::InfoLogLevel::ERROR_LEVEL &&
        level < rocksdb::InfoLogLevel::HEADER_LEVEL) {
      ours = spdlog::level::warn;
    } else if (level == rocksdb::InfoLogLevel::WARN_LEVEL) {
      ours = spdlog::level::info;
    }
    if (!logger()->should_log(ours)) return;
    char line[1024];
    std::vsnprintf(line, sizeof(line), format, ap);
    logger()->log(ours, "kv store: {}", line);
  }
};

// The one place RocksDB's status kinds become ours.
Status from_rocksdb(const rocksdb::Status& s, std::string_view context) {
  if (s.ok()) return Status();
  std::string message(context);
  message.append(": ").append(s.ToString());
  switch (s.code()) {
    case rocksdb::Status::kNotFound:
      return Status(ErrorCode::not_found, std::move(message));
    case rocksdb::Status::kCorruption:
      return Status(ErrorCode::corruption, std::move(message));
    case rocksdb::Status::kNotSupported:
      return Status(ErrorCode::unsupported, std::move(message));
    case rocksdb::Status::kInvalidArgument:
      return Status(ErrorCode::invalid_argument, std::move(message));
    case rocksdb::Status::kIOError:
      return Status(s.IsNoSpace() ? ErrorCode::no_space : ErrorCode::io_error, std::move(message));
    case rocksdb::Status::kShutdownInProgress:
      return Status(ErrorCode::shutting_down, std::move(message));
    case rocksdb::Status::kTimedOut:
      return Status(ErrorCode::timed_out, std::move(message));
    case rocksdb::Status::kBusy:
    case rocksdb::Status::kTryAgain:
    case rocksdb::Status::kIncomplete:
      return Status(ErrorCode::unavailable, std::move(message));
    default:
      return Status(ErrorCode::internal, std::move(message));
  }
}

// The smallest key greater than every key starting with `prefix`, or
// nullopt when there is none (prefix empty or all 0xff bytes).
std::optional<std::string> prefix_upper_bound(std::string_view prefix) {
  std::string bound(prefix);
  while (!bound.empty()) {
    auto last = static_cast<unsigned char>(bound.back());
    if (last != 0xff) {
      bound.back() = static_cast<char>(last + 1);
      return bound;
    }
    bound.pop_back();
  }
  return std::nullopt;
}

}  // namespace

KvWriteBatch& KvWriteBatch::put(std::string_view key, std::string_view value) {
  ops_.push_back(Op{OpKind::put, std::string(key), std::string(value)});
  return *this;
}

KvWriteBatch& KvWriteBatch::remove(std::string_view key) {
  ops_.push_back(Op{OpKind::remove, std::string(key), {}});
  return *this;
}

class KvStore::Impl {
 public:
  Impl(std::unique_ptr<rocksdb::DB> db, bool sync_writes) : db_(std::move(db)) {
    write_options_.sync = sync_writes;
  }

  rocksdb::DB& db() { return *db_; }
  const rocksdb::WriteOptions& write_options() const { return write_options_; }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  rocksdb::WriteOptions write_options_;
};

Result<std::unique_ptr<KvStore>> KvStore::open(const std::string& path,
                                               const KvStoreOptions& options) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (std::filesystem::exists(status) && !std::filesystem::is_directory(status)) {
    return invalid_argument_error("kv store " + path + ": exists and is not a directory");
  }
  const bool has_store = std::filesystem::exists(std::filesystem::path(path) / "CURRENT", ec);
  if (!options.create_if_missing && !has_store) {
    return invalid_argument_error("kv store " + path +
                                  ": no store there and create_if_missing is off");
  }

  // RocksDB reports a missing directory as an error in its log, even when
  // it is about to create it.
  if (options.create_if_missing) std::filesystem::create_directories(path, ec);

  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.paranoid_checks = true;
  db_options.info_log = std::make_shared<InfoLogger>();

  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, &raw);
  std::unique_ptr<rocksdb::DB> db(raw);
  if (!s.ok()) return from_rocksdb(s, "kv store " + path + ": open");
  auto impl = std::make_unique<Impl>(std::move(db), options.sync_writes);
  return std::unique_ptr<KvStore>(new KvStore(path, std::move(impl)));
}

KvStore::KvStore(std::string path, std::unique_ptr<Impl> impl)
    : path_(std::move(path)), impl_(std::move(impl)) {}

KvStore::~KvStore() = default;

Status KvStore::put(std::string_view key, std::string_view value) {
  return from_rocksdb(impl_->db().Put(impl_->write_options(), to_slice(key), to_slice(value)),
                      "kv store " + path_ + ": put");
}

Result<std::optional<std::string>> KvStore::get(std::string_view key) const {
  std::string value;
  rocksdb::Status s = impl_->db().Get(rocksdb::ReadOptions(), to_slice(key), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return from_rocksdb(s, "kv store " + path_ + ": get");
  return std::optional<std::string>(std::move(value));
}

Status KvStore::remove(std::string_view key) {
  return from_rocksdb(impl_->db().Delete(impl_->write_options(), to_slice(key)),
                      "kv store " + path_ + ": remove");
}

Status KvStore::write(const KvWriteBatch& batch) {
  if (batch.empty()) return Status();
  rocksdb::WriteBatch wb;
  for (const KvWriteBatch::Op& op : batch.ops()) {
    rocksdb::Status s = op.kind == KvWriteBatch::OpKind::put
                            ? wb.Put(to_slice(op.key), to_slice(op.value))
                            : wb.Delete(to_slice(op.key));
    STRATA_TRY(from_rocksdb(s, "kv store " + path_ + ": write batch"));
  }
  return from_rocksdb(impl_->db().Write(impl_->write_options(), &wb),
                      "kv store " + path_ + ": write batch");
}

Result<std::vector<KvPair>> KvStore::scan_prefix(std::string_view prefix,
                                                 std::size_t max_pairs) const {
  std::vector<KvPair> pairs;
  if (max_pairs == 0) return pairs;
  // The bound must outlive the iterator: ReadOptions keeps only a pointer.
  std::optional<std::string> upper = prefix_upper_bound(prefix);
  rocksdb::Slice upper_slice;
  rocksdb::ReadOptions read_options;
  if (upper) {
    upper_slice = to_slice(*upper);
    read_options.iterate_upper_bound = &upper_slice;
  }
  std::unique_ptr<rocksdb::Iterator> it(impl_->db().NewIterator(read_options));
  for (it->Seek(to_slice(prefix)); it->Valid() && pairs.size() < max_pairs; it->Next()) {
    rocksdb::Slice key = it->key();
    if (!key.starts_with(to_slice(prefix))) break;
    pairs.push_back(KvPair{key.ToString(), it->value().ToString()});
  }
  STRATA_TRY(from_rocksdb(it->status(), "kv store " + path_ + ": scan"));
  return pairs;
}

Status KvStore::sync_wal() {
  return from_rocksdb(impl_->db().SyncWAL(), "kv store " + path_ + ": sync wal");
}

}  // namespace strata::storage
