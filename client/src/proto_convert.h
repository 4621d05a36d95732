#pragma once

// The one place where strata.v1 errors and enums meet libstrata's types.

#include <string>

#include <grpcpp/support/status.h>

#include <strata/admin.h>
#include <strata/options.h>

#include "common/record_batch.h"
#include "common/status.h"
#include "strata/v1/admin_service.pb.h"
#include "strata/v1/common.pb.h"
#include "strata/v1/produce_service.pb.h"

namespace strata::client {

// The Status for a proto Error: ok when unset or NONE; otherwise the mapped
// ErrorCode with the broker's message (or the proto code's name when empty).
Status from_proto(const v1::Error& error);
ErrorCode from_proto(v1::ErrorCode code);
PartitionWriteState from_proto(v1::PartitionWriteState state);

// Whether common.proto marks `code` retriable (the same request may succeed
// later, after a backoff or a metadata refresh).
bool is_retriable(v1::ErrorCode code);

// A transport failure of an RPC to `address`, naming the broker:
// "unavailable: broker 127.0.0.1:7070 unreachable: failed to connect ...".
Status from_grpc(const grpc::Status& status, const std::string& address);

v1::Acks to_proto(Acks acks);
Compression to_codec(CompressionType type);

}  // namespace strata::client
