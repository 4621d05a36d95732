#include "storage/log_manager.h"

#include <algorithm>
#include <system_error>

#include "storage/logger.h"

namespace strata::storage {

namespace {

constexpr const char* kDeletedSuffix = ".deleted";

}  // namespace

Result<std::unique_ptr<LogManager>> LogManager::open(const std::filesystem::path& data_dir,
                                                     Flusher::CycleObserver observer) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return io_error("create " + data_dir.string() + ": " + ec.message());
  for (const auto& entry : std::filesystem::directory_iterator(data_dir, ec)) {
    if (entry.is_directory() && entry.path().extension() == kDeletedSuffix) {
      std::filesystem::remove_all(entry.path(), ec);
      if (ec) return io_error("remove " + entry.path().string() + ": " + ec.message());
    }
  }
  if (ec) return io_error("list " + data_dir.string() + ": " + ec.message());
  std::unique_ptr<LogManager> manager(new LogManager(data_dir, std::move(observer)));
  manager->flusher_.start();
  return manager;
}

LogManager::~LogManager() {
  Status st = close();
  if (!st.ok()) logger()->error("log manager {}: close failed: {}", data_dir_.string(), st.to_string());
}

Status LogManager::check_name(const std::string& name) {
  std::filesystem::path p(name);
  if (name.empty() || name == "." || name == ".." || p.has_parent_path() ||
      p.extension() == kDeletedSuffix) {
    return invalid_argument_error("bad partition directory name '" + name + "'");
  }
  return Status::ok_status();
}

Result<std::shared_ptr<PartitionLog>> LogManager::open_log(const std::string& name,
                                                           LogOptions options) {
  STRATA_TRY(check_name(name));
  std::lock_guard lock(mu_);
  if (closed_) return Status(ErrorCode::shutting_down, "log manager is closed");
  if (auto it = logs_.find(name); it != logs_.end()) return it->second;
  STRATA_TRY_ASSIGN(std::unique_ptr<PartitionLog> log,
                    PartitionLog::open(data_dir_ / name, std::move(options), &flusher_));
  std::shared_ptr<PartitionLog> shared = std::move(log);
  logs_.emplace(name, shared);
  return shared;
}

Result<std::shared_ptr<PartitionLog>> LogManager::create_log(const std::string& name,
                                                             LogOptions options) {
  STRATA_TRY(check_name(name));
  if (std::filesystem::exists(data_dir_ / name)) {
    return already_exists_error("partition directory " + name + " exists");
  }
  return open_log(name, std::move(options));
}

std::shared_ptr<PartitionLog> LogManager::get(const std::string& name) const {
  std::lock_guard lock(mu_);
  auto it = logs_.find(name);
  return it == logs_.end() ? nullptr : it->second;
}

Status LogManager::remove_log(const std::string& name) {
  STRATA_TRY(check_name(name));
  std::shared_ptr<PartitionLog> log;
  {
    std::lock_guard lock(mu_);
    if (auto it = logs_.find(name); it != logs_.end()) {
      log = std::move(it->second);
      logs_.erase(it);
    }
  }
  if (log) {
    Status st = log->close();
    if (!st.ok()) logger()->warn("{}: close before removal failed: {}", name, st.to_string());
  }
  const std::filesystem::path dir = data_dir_ / name;
  std::filesystem::path doomed = dir;
  doomed += kDeletedSuffix;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return not_found_error("no partition directory " + name);
  std::filesystem::rename(dir, doomed, ec);
  if (ec) return io_error("rename " + dir.string() + ": " + ec.message());
  STRATA_TRY(sync_directory(data_dir_));
  std::filesystem::remove_all(doomed, ec);
  if (ec) return io_error("remove " + doomed.string() + ": " + ec.message());
  logger()->info("{}: removed partition log", name);
  return Status::ok_status();
}

Result<std::vector<std::string>> LogManager::list_on_disk() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(data_dir_, ec)) {
    if (entry.is_directory() && entry.path().extension() != kDeletedSuffix) {
      names.push_back(entry.path().filename().string());
    }
  }
  if (ec) return io_error("list " + data_dir_.string() + ": " + ec.message());
  std::sort(names.begin(), names.end());
  return names;
}

Status LogManager::close() {
  std::map<std::string, std::shared_ptr<PartitionLog>> logs;
  {
    std::lock_guard lock(mu_);
    if (closed_) return Status::ok_status();
    closed_ = true;
    logs.swap(logs_);
  }
  Status first;
  for (auto& [name, log] : logs) {
    Status st = log->close();
    if (!st.ok() && first.ok()) first = st;
  }
  flusher_.stop();
  return first;
}

}  // namespace strata::storage
