#pragma once

// Brings a standalone data directory written before the metadata store
// existed onto LocalMetadataStore's layout (docs/formats/metadata.md): the
// raw "cluster-id", "topics/<name>" and "producer-id-next" keys become
// "meta/..." records, each old topic gets a topic id and one partition
// state per partition (replicas = isr = [local_broker], leader local_broker,
// epoch 0), and the old keys go, all in one atomic write batch.

#include "common/ids.h"
#include "common/status.h"

namespace strata::storage {
class KvStore;
}

namespace strata::replication {

// Does nothing when the store already has the format key. Errors:
// corruption (an old record that does not decode), io_error.
Status migrate_legacy_metadata(storage::KvStore& kv, BrokerId local_broker);

}  // namespace strata::replication
