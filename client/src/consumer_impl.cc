#include "client/src/consumer_impl.h"

#include <algorithm>

#include "client/src/proto_convert.h"
#include "common/record_batch_iterator.h"
#include "common/record_batch_reader.h"

namespace strata::client {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::optional<std::string> to_string_opt(const std::optional<ByteSpan>& bytes) {
  if (!bytes) return std::nullopt;
  return std::string(as_string_view(*bytes));
}

std::optional<std::string_view> as_view_opt(const std::optional<ByteSpan>& bytes) {
  if (!bytes) return std::nullopt;
  return as_string_view(*bytes);
}

}  // namespace

Consumer::Impl::Impl(ConsumerOptions options)
    : options_(std::move(options)),
      pool_(options_.connection),
      metadata_(pool_),
      offsets_(pool_, metadata_),
      group_id_(options_.group_id),
      next_auto_commit_(SteadyClock::now() +
                        std::chrono::milliseconds(options_.auto_commit_interval_ms)) {}

Consumer::Impl::~Impl() { close(); }

bool Consumer::Impl::is_assigned(const TopicPartition& partition) const {
  return std::find(assignment_.begin(), assignment_.end(), partition) != assignment_.end();
}

Status Consumer::Impl::require_group() const {
  if (group_id_.empty()) return invalid_argument_error("consumer has no group id");
  return Status();
}

Status Consumer::Impl::assign(std::vector<TopicPartition> partitions) {
  if (member_) leave_group();
  set_assignment(std::move(partitions));
  return Status();
}

void Consumer::Impl::set_assignment(std::vector<TopicPartition> partitions) {
  std::sort(partitions.begin(), partitions.end());
  partitions.erase(std::unique(partitions.begin(), partitions.end()), partitions.end());
  close_all_streams();
  assignment_ = std::move(partitions);
  std::erase_if(positions_, [&](const auto& e) { return !is_assigned(e.first); });
  // Buffered records were decoded from the old streams; refetch from positions_.
  buffered_.clear();
  buffered_counts_.clear();
  fetch_positions_ = positions_;
}

Status Consumer::Impl::subscribe(const std::vector<std::string>& topics,
                                 const std::string& group_id, RebalanceListener listener) {
  if (!group_id.empty()) group_id_ = group_id;
  STRATA_TRY(require_group());
  if (topics.empty()) return invalid_argument_error("subscribe: no topic");
  for (const std::string& topic : topics) STRATA_TRY(metadata_.route(topic).status());
  if (member_) leave_group();
  set_assignment({});
  GroupMember::Options options;
  options.group_id = group_id_;
  options.client_id = options_.client_id;
  options.topics = topics;
  std::sort(options.topics.begin(), options.topics.end());
  options.session_timeout_ms = options_.session_timeout_ms;
  options.rebalance_timeout_ms = options_.max_poll_interval_ms;
  options.heartbeat_interval_ms = options_.heartbeat_interval_ms;
  options.assignors = options_.partition_assignment_strategy;
  member_ = std::make_unique<GroupMember>(pool_, metadata_, offsets_, std::move(options));
  listener_ = std::move(listener);
  return Status();
}

void Consumer::Impl::unsubscribe() {
  if (member_) leave_group();
  set_assignment({});
}

GroupIdentity Consumer::Impl::group_identity() const {
  return member_ ? member_->identity() : GroupIdentity{};
}

void Consumer::Impl::revoke_all() {
  if (options_.enable_auto_commit && !group_id_.empty()) {
    // Allowed while the group prepares the rebalance (same generation).
    (void)offsets_.commit(group_id_, current_positions(), group_identity());
  }
  const std::vector<TopicPartition> revoked = assignment_;
  if (listener_.on_partitions_revoked) listener_.on_partitions_revoked(revoked);
  set_assignment({});
  // Positions of revoked partitions may move on elsewhere: forget them all.
  positions_.clear();
  fetch_positions_.clear();
}

void Consumer::Impl::leave_group() {
  revoke_all();
  member_->leave();
  member_.reset();
}

Status Consumer::Impl::drive_group(SteadyClock::time_point deadline) {
  // Bounded: advance() returns at the deadline at the latest.
  for (;;) {
    STRATA_TRY_ASSIGN(GroupMember::Progress progress,
                      member_->advance(deadline, !assignment_.empty()));
    if (progress.must_revoke) {
      revoke_all();
      continue;
    }
    if (progress.assigned) {
      set_assignment(*progress.assigned);
      if (listener_.on_partitions_assigned) listener_.on_partitions_assigned(assignment_);
    }
    return Status();
  }
}

Result<Offset> Consumer::Impl::reset_offset(const TopicPartition& partition, OffsetSpec spec) {
  STRATA_TRY_ASSIGN(auto listed,
                    offsets_.list_offsets(partition.topic, {partition.partition.value()}, spec));
  STRATA_TRY(listed.at(0).error);
  return listed.at(0).offset;
}

void Consumer::Impl::set_position(const TopicPartition& partition, Offset offset) {
  positions_[partition] = offset;
  fetch_positions_[partition] = offset;
}

Status Consumer::Impl::ensure_positions() {
  std::vector<TopicPartition> missing;
  for (const auto& tp : assignment_) {
    if (!positions_.contains(tp)) missing.push_back(tp);
  }
  if (missing.empty()) return Status();
  if (!group_id_.empty()) {
    STRATA_TRY_ASSIGN(auto committed, offsets_.fetch(group_id_, missing));
    for (const auto& [tp, position] : committed) {
      if (position.offset.value() >= 0 && is_assigned(tp)) set_position(tp, position.offset);
    }
  }
  const OffsetSpec spec =
      options_.auto_offset_reset == OffsetReset::earliest ? OffsetSpec::earliest : OffsetSpec::latest;
  for (const auto& tp : missing) {
    if (positions_.contains(tp)) continue;
    STRATA_TRY_ASSIGN(Offset offset, reset_offset(tp, spec));
    set_position(tp, offset);
  }
  return Status();
}

Status Consumer::Impl::ensure_streams() {
  std::map<StreamKey, std::vector<TopicPartition>> wanted;
  for (const auto& tp : assignment_) {
    wanted[{tp.topic, metadata_.leader_address(tp.topic, tp.partition.value())}].push_back(tp);
  }
  for (const auto& [key, partitions] : wanted) {
    if (streams_.contains(key)) continue;
    Connection& connection = pool_.get(key.second);
    if (!connection.may_attempt()) continue;  // reconnect backoff; poll() waits
    v1::FetchRequest request;
    request.set_topic(key.first);
    request.set_max_bytes(options_.fetch_max_bytes);
    request.set_partition_max_bytes(options_.max_partition_fetch_bytes);
    request.set_max_wait_ms(options_.fetch_max_wait_ms);
    request.set_min_bytes(options_.fetch_min_bytes);
    for (const auto& tp : partitions) {
      auto* entry = request.add_partitions();
      entry->set_partition(tp.partition.value());
      entry->set_offset(fetch_positions_.at(tp).value());
    }
    const std::uint64_t id = next_stream_id_++;
    STRATA_TRY_ASSIGN(auto stream, FetchStream::open(connection, std::move(request), inbox_, id));
    stream_keys_[id] = key;
    streams_[key] = std::move(stream);
  }
  return Status();
}

void Consumer::Impl::close_streams_of(const std::string& topic) {
  for (auto it = streams_.begin(); it != streams_.end();) {
    if (it->first.first == topic) {
      stream_keys_.erase(it->second->id());
      it = streams_.erase(it);
    } else {
      ++it;
    }
  }
}

void Consumer::Impl::close_all_streams() {
  streams_.clear();
  stream_keys_.clear();
}

Result<std::vector<ConsumerRecord>> Consumer::Impl::poll(std::chrono::milliseconds timeout) {
  if (is_closed_) return Status(ErrorCode::shutting_down, "consumer is closed");
  const auto deadline = SteadyClock::now() + timeout;
  if (member_) {
    STRATA_TRY(drive_group(deadline));
    if (!member_->is_stable() || assignment_.empty()) {
      // Rebalancing, or a member without partitions: wait for a change.
      if (member_->is_stable()) member_->wait_for_rejoin(deadline);
      return std::vector<ConsumerRecord>{};
    }
  } else if (assignment_.empty()) {
    return invalid_argument_error("poll: no partition assigned");
  }
  maybe_auto_commit();
  if (!buffered_.empty()) return take_buffered();
  STRATA_TRY(ensure_positions());
  STRATA_TRY(ensure_streams());
  const auto liveness = std::chrono::milliseconds(options_.fetch_max_wait_ms) +
                        std::chrono::milliseconds(options_.connection.request_timeout_ms);
  // Bounded: each pass either handles an event or reaches the deadline.
  for (;;) {
    const auto now = SteadyClock::now();
    for (auto& [key, stream] : streams_) {
      if (stream->last_activity() + liveness < now) {
        const std::string address = key.second;
        close_streams_of(key.first);
        return Status(ErrorCode::timed_out, "broker " + address + ": fetch stream silent for " +
                                                std::to_string(liveness.count()) + " ms");
      }
    }
    // Wake early to reopen a stream whose reconnect backoff ends before the deadline.
    auto until = deadline;
    if (streams_.empty()) until = std::min(until, now + std::chrono::milliseconds(50));
    auto event = inbox_.pop(until);
    if (!event) {
      if (SteadyClock::now() >= deadline) return std::vector<ConsumerRecord>{};
      STRATA_TRY(ensure_streams());
      continue;
    }
    if (!stream_keys_.contains(event->stream_id)) continue;  // from a closed stream
    STRATA_TRY(handle(*event));
    if (!buffered_.empty()) return take_buffered();
    STRATA_TRY(ensure_positions());
    STRATA_TRY(ensure_streams());
    if (SteadyClock::now() >= deadline) return std::vector<ConsumerRecord>{};
  }
}

Status Consumer::Impl::handle(const FetchEvent& event) {
  const StreamKey key = stream_keys_.at(event.stream_id);
  const std::string& topic = key.first;
  if (!event.response) {
    // The stream ended: reopen it next time; report transport failures.
    close_streams_of(topic);
    return event.end;
  }
  const v1::FetchResponse& response = *event.response;
  const std::shared_ptr<const void> data = event.response;
  bool restart = false;
  for (const auto& fetched : response.partitions()) {
    STRATA_TRY(handle_partition(topic, fetched, data, restart));
  }
  if (response.error().code() != v1::NONE) {
    close_streams_of(topic);
    if (is_retriable(response.error().code())) {
      metadata_.invalidate(topic);
      pool_.get(key.second).record_failure();
      return Status();
    }
    return from_proto(response.error());
  }
  if (restart) close_streams_of(topic);
  return Status();
}

Status Consumer::Impl::handle_partition(const std::string& topic,
                                        const v1::FetchedPartition& fetched,
                                        const std::shared_ptr<const void>& data,
                                        bool& restart_stream) {
  const TopicPartition tp{topic, PartitionId(fetched.partition())};
  if (!is_assigned(tp) || !fetch_positions_.contains(tp)) return Status();
  if (fetched.high_watermark() >= 0) high_watermarks_[tp] = Offset(fetched.high_watermark());
  const auto code = fetched.header().error().code();
  if (code == v1::NONE) return decode(tp, fetched.records().batches(), data);
  // The stream dropped this partition: it must be reopened.
  restart_stream = true;
  if (code == v1::OFFSET_OUT_OF_RANGE) {
    const OffsetSpec spec = options_.auto_offset_reset == OffsetReset::earliest
                                ? OffsetSpec::earliest
                                : OffsetSpec::latest;
    STRATA_TRY_ASSIGN(Offset offset, reset_offset(tp, spec));
    // Records still buffered for this partition are kept; later ones restart.
    fetch_positions_[tp] = offset;
    if (buffered_counts_[tp] == 0) positions_[tp] = offset;
    return Status();
  }
  if (is_retriable(code)) {
    metadata_.invalidate(topic);
    return Status();
  }
  return from_proto(fetched.header().error());
}

Status Consumer::Impl::decode(const TopicPartition& partition, const std::string& batches,
                              const std::shared_ptr<const void>& data) {
  Offset& next = fetch_positions_.at(partition);
  RecordBatchIterator it(as_bytes(batches));
  // Bounded by the bytes: each step consumes one whole batch or stops.
  for (;;) {
    STRATA_TRY_ASSIGN(auto batch, it.next());
    if (!batch) break;
    if (batch->header().next_offset() <= next) continue;  // wholly before our position
    if (!batch->header().is_control()) {
      std::size_t& buffered = buffered_counts_[partition];
      const std::size_t before = buffered;
      // Values point into the answer, or into the batch's decompressed
      // records, which then live as long as the records do.
      std::shared_ptr<Buffer> decompressed;
      std::shared_ptr<const void> owner = data;
      if (batch->header().compression() != Compression::none) {
        decompressed = std::make_shared<Buffer>();
        owner = decompressed;
      }
      Status decoded = for_each_record(
          *batch,
          [&](const RecordView& record) {
            // A fetch may start inside a batch: skip what lies below the position.
            if (record.offset < next) return Status();
            ConsumerRecord& out = buffered_.emplace_back();
            out.topic = partition.topic;
            out.partition = partition.partition;
            out.offset = record.offset;
            out.timestamp_ms = record.timestamp;
            out.key = as_view_opt(record.key);
            out.value = as_view_opt(record.value);
            out.headers.reserve(record.headers.size());
            for (const RecordHeaderView& header : record.headers) {
              out.headers.push_back(Header{std::string(header.key), to_string_opt(header.value)});
            }
            out.data = owner;
            ++buffered;
            return Status();
          },
          RecordReadOptions{}, decompressed.get());
      if (!decoded.ok()) {
        // All of a batch or none of it: it is fetched again from its start.
        buffered_.resize(buffered_.size() - (buffered - before));
        buffered = before;
        return decoded;
      }
    }
    next = batch->header().next_offset();
  }
  if (buffered_counts_[partition] == 0) positions_[partition] = next;
  return Status();
}

std::vector<ConsumerRecord> Consumer::Impl::take_buffered() {
  const std::size_t count =
      std::min(buffered_.size(), static_cast<std::size_t>(std::max(options_.max_poll_records, 1)));
  std::vector<ConsumerRecord> out;
  out.reserve(count);
  // Records come in runs per partition (one answer decodes a partition's
  // batches in a row): look the partition's state up once a run.
  while (out.size() < count) {
    const TopicPartition tp{buffered_.front().topic, buffered_.front().partition};
    auto buffered = buffered_counts_.find(tp);
    std::size_t run = 0;
    while (out.size() < count && buffered_.front().partition == tp.partition &&
           buffered_.front().topic == tp.topic) {
      out.push_back(std::move(buffered_.front()));
      buffered_.pop_front();
      ++run;
    }
    buffered->second -= run;
    if (buffered->second == 0) {
      // Past the last buffered record, the position is where decoding got to
      // (beyond control batches and gaps).
      positions_[tp] = fetch_positions_[tp];
      buffered_counts_.erase(buffered);
    } else {
      positions_[tp] = out.back().offset + 1;
    }
  }
  return out;
}

Status Consumer::Impl::seek(const TopicPartition& partition, Offset offset) {
  if (!is_assigned(partition)) {
    return invalid_argument_error("seek: " + partition.to_string() + " is not assigned");
  }
  if (offset.value() < 0) return invalid_argument_error("seek: negative offset");
  std::erase_if(buffered_, [&](const ConsumerRecord& r) {
    return r.topic == partition.topic && r.partition == partition.partition;
  });
  buffered_counts_.erase(partition);
  set_position(partition, offset);
  close_streams_of(partition.topic);
  return Status();
}

Status Consumer::Impl::seek_to(const std::vector<TopicPartition>& partitions, OffsetSpec spec) {
  const auto& targets = partitions.empty() ? assignment_ : partitions;
  for (const auto& tp : targets) {
    if (!is_assigned(tp)) return invalid_argument_error("seek: " + tp.to_string() + " is not assigned");
    STRATA_TRY_ASSIGN(Offset offset, reset_offset(tp, spec));
    STRATA_TRY(seek(tp, offset));
  }
  return Status();
}

Result<Offset> Consumer::Impl::position(const TopicPartition& partition) {
  if (member_ && !member_->is_stable()) {
    // Not joined yet: join now (as poll() would), within the request timeout.
    STRATA_TRY(drive_group(SteadyClock::now() +
                           std::chrono::milliseconds(options_.connection.request_timeout_ms)));
  }
  if (!is_assigned(partition)) {
    return invalid_argument_error("position: " + partition.to_string() + " is not assigned");
  }
  STRATA_TRY(ensure_positions());
  return positions_.at(partition);
}

Result<std::optional<Offset>> Consumer::Impl::committed(const TopicPartition& partition) {
  STRATA_TRY(require_group());
  STRATA_TRY_ASSIGN(auto committed, offsets_.fetch(group_id_, {partition}));
  auto it = committed.find(partition);
  if (it == committed.end() || it->second.offset.value() < 0) return std::optional<Offset>();
  return std::optional<Offset>(it->second.offset);
}

std::map<TopicPartition, Offset> Consumer::Impl::current_positions() const {
  std::map<TopicPartition, Offset> out;
  for (const auto& tp : assignment_) {
    auto it = positions_.find(tp);
    if (it != positions_.end()) out[tp] = it->second;
  }
  return out;
}

Status Consumer::Impl::commit_sync(const std::map<TopicPartition, Offset>* offsets) {
  STRATA_TRY(require_group());
  return offsets_.commit(group_id_, offsets ? *offsets : current_positions(), group_identity());
}

void Consumer::Impl::commit_async(const std::map<TopicPartition, Offset>* offsets,
                                  CommitCallback callback) {
  if (Status status = require_group(); !status.ok()) {
    if (callback) callback(status);
    return;
  }
  offsets_.commit_async(group_id_, offsets ? *offsets : current_positions(), std::move(callback),
                        group_identity());
}

void Consumer::Impl::maybe_auto_commit() {
  if (!options_.enable_auto_commit || group_id_.empty()) return;
  const auto now = SteadyClock::now();
  if (now < next_auto_commit_) return;
  next_auto_commit_ = now + std::chrono::milliseconds(options_.auto_commit_interval_ms);
  offsets_.commit_async(group_id_, current_positions(), {}, group_identity());
}

std::optional<Offset> Consumer::Impl::high_watermark(const TopicPartition& partition) const {
  auto it = high_watermarks_.find(partition);
  if (it == high_watermarks_.end()) return std::nullopt;
  return it->second;
}

void Consumer::Impl::close() {
  if (is_closed_) return;
  is_closed_ = true;
  if (member_) {
    leave_group();  // commits first (auto-commit)
  } else if (options_.enable_auto_commit && !group_id_.empty()) {
    (void)offsets_.commit(group_id_, current_positions());
  }
  close_all_streams();
  offsets_.wait_async_idle();
}

}  // namespace strata::client
