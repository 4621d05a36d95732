#include "broker/replica_manager.h"

#include <filesystem>
#include <future>

#include "storage/log_manager.h"

namespace strata::broker {

Result<std::vector<std::shared_ptr<Partition>>> ReplicaManager::open(
    const std::string& topic, const storage::LogOptions& options, std::int32_t from,
    std::int32_t to, bool fresh) {
  std::vector<std::shared_ptr<Partition>> out;
  for (std::int32_t p = from; p < to; ++p) {
    TopicPartition tp{topic, PartitionId(p)};
    const std::string name = tp.to_string();
    Status removed;
    if (fresh && std::filesystem::exists(logs_.data_dir() / name)) removed = logs_.remove_log(name);
    if (!removed.ok()) {
      (void)close(out, fresh);
      return removed;
    }
    auto log = logs_.open_log(name, options);
    if (!log.ok()) {
      (void)close(out, fresh);
      return log.status();
    }
    out.push_back(Partition::adopt(std::move(tp), std::move(log).value(), pool_));
  }
  return out;
}

Status ReplicaManager::close(const std::vector<std::shared_ptr<Partition>>& partitions,
                             bool remove_files) {
  std::vector<std::future<Status>> results;
  for (const auto& p : partitions) {
    auto promise = std::make_shared<std::promise<Status>>();
    results.push_back(promise->get_future());
    p->close(false, [promise](Status st) { promise->set_value(std::move(st)); });
  }
  Status first;
  for (std::size_t i = 0; i < partitions.size(); ++i) {
    Status st = results[i].get();
    // After the strand closed the log: nothing writes it while it goes.
    if (remove_files) {
      Status removed = logs_.remove_log(partitions[i]->name());
      if (st.ok()) st = removed;
    }
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

}  // namespace strata::broker
