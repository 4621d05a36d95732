#include <strata/consumer.h>

#include "client/src/consumer_impl.h"

namespace strata::client {

Result<std::unique_ptr<Consumer>> Consumer::create(ConsumerOptions options) {
  if (options.connection.bootstrap.empty()) {
    return invalid_argument_error("consumer: bootstrap address is empty");
  }
  if (options.max_poll_records < 1) {
    return invalid_argument_error("consumer: max_poll_records must be at least 1");
  }
  return std::unique_ptr<Consumer>(new Consumer(std::make_unique<Impl>(std::move(options))));
}

Consumer::Consumer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Consumer::~Consumer() = default;

Status Consumer::assign(std::vector<TopicPartition> partitions) {
  return impl_->assign(std::move(partitions));
}
Status Consumer::subscribe(const std::string& topic, const std::string& group_id,
                           RebalanceListener listener) {
  return impl_->subscribe({topic}, group_id, std::move(listener));
}

Status Consumer::subscribe(const std::vector<std::string>& topics, const std::string& group_id,
                           RebalanceListener listener) {
  return impl_->subscribe(topics, group_id, std::move(listener));
}
void Consumer::unsubscribe() { impl_->unsubscribe(); }
std::vector<TopicPartition> Consumer::assignment() const { return impl_->assignment(); }
Result<std::vector<ConsumerRecord>> Consumer::poll(std::chrono::milliseconds timeout) {
  return impl_->poll(timeout);
}
Status Consumer::seek(const TopicPartition& partition, Offset offset) {
  return impl_->seek(partition, offset);
}
Status Consumer::seek_to_beginning(const std::vector<TopicPartition>& partitions) {
  return impl_->seek_to(partitions, OffsetSpec::earliest);
}
Status Consumer::seek_to_end(const std::vector<TopicPartition>& partitions) {
  return impl_->seek_to(partitions, OffsetSpec::latest);
}
Result<Offset> Consumer::position(const TopicPartition& partition) {
  return impl_->position(partition);
}
Result<std::optional<Offset>> Consumer::committed(const TopicPartition& partition) {
  return impl_->committed(partition);
}
Status Consumer::commit_sync() { return impl_->commit_sync(nullptr); }
Status Consumer::commit_sync(const std::map<TopicPartition, Offset>& offsets) {
  return impl_->commit_sync(&offsets);
}
void Consumer::commit_async(CommitCallback callback) {
  impl_->commit_async(nullptr, std::move(callback));
}
void Consumer::commit_async(const std::map<TopicPartition, Offset>& offsets,
                            CommitCallback callback) {
  impl_->commit_async(&offsets, std::move(callback));
}
std::optional<Offset> Consumer::high_watermark(const TopicPartition& partition) const {
  return impl_->high_watermark(partition);
}
void Consumer::close() { impl_->close(); }

}  // namespace strata::client
