#pragma once

// Internal to the libstrata benchmarks (tools/bench/*_bench.cc).

#include <vector>

#include <strata/consumer.h>
#include <strata/options.h>
#include <strata/producer.h>

#include "common/ids.h"
#include "common/result.h"
#include "tools/bench/client_bench.h"

namespace strata::bench {

client::ProducerOptions producer_options(const ClientBenchOptions& options);
client::ConsumerOptions consumer_options(const ClientBenchOptions& options);
// Every partition of options.topic. Errors: not_found, unavailable.
Result<std::vector<TopicPartition>> topic_partitions(const ClientBenchOptions& options);

}  // namespace strata::bench
