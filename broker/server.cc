#include "broker/server.h"

#include <filesystem>

#include <asio/thread_pool.hpp>
#include <grpcpp/grpcpp.h>
#include <prometheus/registry.h>

#include "broker/broker_probe.h"
#include "broker/group/group_coordinator.h"
#include "broker/group/offsets_store.h"
#include "broker/http/http_server.h"
#include "broker/kafka/handlers/handler_context.h"
#include "broker/kafka/handlers/partition_watch.h"
#include "broker/kafka/server/kafka_server.h"
#include "broker/logger.h"
#include "broker/native/admin_service.h"
#include "broker/native/fetch_service.h"
#include "broker/native/group_service.h"
#include "broker/native/metadata_service.h"
#include "broker/native/offsets_service.h"
#include "broker/native/produce_service.h"
#include "broker/native/user_service.h"
#include "broker/producer_id_allocator.h"
#include "broker/security/credential_store.h"
#include "broker/security/sasl_server.h"
#include "broker/topic_manager.h"
#include "replication/metadata/local_metadata_store.h"
#include "storage/data_dir_lock.h"
#include "storage/kv_store.h"
#include "storage/log_manager.h"

namespace strata::broker {
namespace {

// Room for the protobuf framing around the largest batch.
constexpr int kGrpcOverheadBytes = 64 * 1024;

// The cluster id, made up once (a random 128-bit hex string) and kept.
Result<std::string> load_cluster_id(replication::MetadataStore& store) {
  STRATA_TRY_ASSIGN(std::optional<std::string> id, store.cluster_id());
  if (id) return *id;
  return store.init_cluster_id(replication::new_topic_id());
}

}  // namespace

struct Server::Parts {
  std::unique_ptr<storage::DataDirLock> data_dir_lock;  // first taken, last released
  std::unique_ptr<storage::KvStore> kv;
  std::unique_ptr<replication::MetadataStore> metadata;  // on kv
  std::unique_ptr<security::CredentialStore> credentials;  // on kv
  std::unique_ptr<security::SaslContext> sasl;              // on credentials
  // Before the logs: the flusher's thread reports cycles to the probe until stopped.
  prometheus::Registry registry;
  std::unique_ptr<BrokerProbe> probe;
  std::unique_ptr<storage::LogManager> logs;  // owns the group-commit Flusher
  std::unique_ptr<asio::thread_pool> pool;
  std::unique_ptr<TopicManager> topics;
  std::unique_ptr<OffsetsStore> offsets;
  std::unique_ptr<GroupCoordinator> groups;
  std::unique_ptr<native::ServiceContext> context;
  std::vector<std::unique_ptr<grpc::Service>> services;
  std::unique_ptr<grpc::Server> grpc_server;
  std::unique_ptr<HttpServer> http;
  std::unique_ptr<ProducerIdAllocator> producer_ids;
  std::unique_ptr<kafka::PartitionWatch> kafka_watch;
  std::unique_ptr<kafka::HandlerContext> kafka_context;
  std::unique_ptr<kafka::KafkaServer> kafka;
  HostPort native_address;
  HostPort http_address;
  HostPort kafka_address;
};

Server::Server(BrokerConfig config) : config_(std::move(config)), parts_(std::make_unique<Parts>()) {}

Server::~Server() { stop(); }

Status Server::start() {
  Parts& p = *parts_;
  started_ = true;
  const std::filesystem::path data_dir = config_.data_dir;
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return errno_error("create " + data_dir.string(), ec.value());
  STRATA_TRY_ASSIGN(p.data_dir_lock, storage::DataDirLock::acquire(data_dir));
  STRATA_TRY_ASSIGN(p.kv, storage::KvStore::open((data_dir / "kv").string()));
  const BrokerId node_id(config_.node_id);
  STRATA_TRY_ASSIGN(p.metadata, replication::LocalMetadataStore::open(
                                    *p.kv, replication::LocalMetadataStoreOptions{node_id}));
  STRATA_TRY_ASSIGN(std::string cluster_id, load_cluster_id(*p.metadata));
  p.credentials = security::make_kv_credential_store(*p.kv);
  STRATA_TRY_ASSIGN(Secret fake_salt_key, p.credentials->fake_salt_key());
  p.sasl.reset(new security::SaslContext{*p.credentials, std::move(fake_salt_key)});
  p.probe = std::make_unique<BrokerProbe>(p.registry);
  STRATA_TRY_ASSIGN(p.logs, storage::LogManager::open(
                                data_dir, [probe = p.probe.get()](std::chrono::nanoseconds took,
                                                                  std::size_t) {
                                  probe->observe_flush_cycle(
                                      std::chrono::duration<double>(took).count());
                                }));
  p.pool = std::make_unique<asio::thread_pool>(static_cast<std::size_t>(config_.io_threads));
  p.topics = std::make_unique<TopicManager>(*p.metadata, *p.logs, *p.pool,
                                            config_.topic_defaults, node_id);
  STRATA_TRY(p.topics->load());
  if (!p.topics->find_topic(std::string(kOffsetsTopic)).ok()) {
    STRATA_TRY(p.topics->create_topic(std::string(kOffsetsTopic), 1,
                                      {{"retention.ms", "-1"}, {"durability", "fsync"}}, true));
  }
  STRATA_TRY_ASSIGN(auto offsets_topic, p.topics->find_topic(std::string(kOffsetsTopic)));
  p.offsets = std::make_unique<OffsetsStore>(*p.kv, offsets_topic->partitions.at(0));
  STRATA_TRY(p.offsets->load());
  p.groups = std::make_unique<GroupCoordinator>(*p.offsets, *p.pool, config_.groups);
  STRATA_TRY(p.groups->load());
  p.groups->start();
  p.topics->start_retention(std::chrono::milliseconds(config_.retention_check_interval_ms));

  p.producer_ids = std::make_unique<ProducerIdAllocator>(*p.metadata);
  p.context.reset(new native::ServiceContext{*p.topics, *p.offsets, *p.groups, *p.pool,
                                             *p.probe, *p.producer_ids, {},
                                             config_.topic_defaults.max_message_bytes, stopping_});
  // Before the gRPC server starts: its calls read these without a lock.
  native::BrokerIdentity& id = p.context->identity;
  id.node_id = config_.node_id;
  id.cluster_id = cluster_id;
  id.data_dir = std::filesystem::absolute(data_dir).string();
  p.services.push_back(std::make_unique<native::AdminService>(*p.context));
  p.services.push_back(std::make_unique<native::MetadataService>(*p.context));
  p.services.push_back(std::make_unique<native::ProduceService>(*p.context));
  p.services.push_back(std::make_unique<native::FetchService>(*p.context));
  p.services.push_back(std::make_unique<native::OffsetsService>(*p.context));
  p.services.push_back(std::make_unique<native::GroupService>(*p.context));
  p.services.push_back(std::make_unique<native::UserService>(*p.context, *p.credentials));

  grpc::ServerBuilder builder;
  int bound_port = 0;
  builder.AddListeningPort(config_.listen.to_string(), grpc::InsecureServerCredentials(), &bound_port);
  builder.SetMaxReceiveMessageSize(
      static_cast<int>(config_.topic_defaults.max_message_bytes) + kGrpcOverheadBytes);
  for (auto& service : p.services) builder.RegisterService(service.get());
  p.grpc_server = builder.BuildAndStart();
  if (!p.grpc_server || bound_port == 0) {
    return io_error("native: cannot listen on " + config_.listen.to_string());
  }
  p.native_address = HostPort{config_.listen.host, static_cast<std::uint16_t>(bound_port)};

  p.http = std::make_unique<HttpServer>(p.registry, *p.topics);
  STRATA_TRY_ASSIGN(p.http_address, p.http->start(config_.http_listen));

  STRATA_TRY(start_kafka(cluster_id));

  // Calls may already run: the addresses go in under the identity's lock.
  id.set_addresses(p.native_address, p.http_address);
  logger()->info("broker: node {} ready native={} http={} kafka={} data_dir={} topics={}",
                 config_.node_id, p.native_address.to_string(), p.http_address.to_string(),
                 p.kafka_address.to_string(), id.data_dir, p.topics->list_topics().size());
  return Status::ok_status();
}

Status Server::start_kafka(const std::string& cluster_id) {
  Parts& p = *parts_;
  p.kafka_watch = std::make_unique<kafka::PartitionWatch>();
  p.kafka_context.reset(new kafka::HandlerContext{*p.topics, *p.offsets, *p.pool, *p.probe,
                                                  *p.producer_ids, *p.kafka_watch,
                                                  p.groups.get(), {}, config_.auto_create_topics,
                                                  stopping_});
  kafka::KafkaServerOptions options;
  options.listen = config_.kafka_listen;
  options.max_request_bytes = config_.kafka_max_request_bytes;
  options.idle_timeout = std::chrono::milliseconds(config_.kafka_idle_timeout_ms);
  options.frame_read_timeout = std::chrono::milliseconds(config_.kafka_frame_read_timeout_ms);
  options.network_threads = config_.kafka_network_threads;
  if (config_.kafka_security_protocol == "SASL_PLAINTEXT") {
    options.security_protocol = kafka::KafkaSecurityProtocol::sasl_plaintext;
  }
  // Validated by parse_command_line; checked again for other callers.
  STRATA_TRY_ASSIGN(options.sasl_mechanisms,
                    security::parse_sasl_mechanisms(config_.kafka_sasl_mechanisms));
  options.sasl = p.sasl.get();
  options.sasl_failure_delay = std::chrono::milliseconds(config_.kafka_sasl_failure_delay_ms);
  options.sasl_authentication_timeout =
      std::chrono::milliseconds(config_.kafka_sasl_authentication_timeout_ms);
  p.kafka = std::make_unique<kafka::KafkaServer>(options, *p.kafka_context);
  STRATA_TRY_ASSIGN(p.kafka_address, p.kafka->listen());
  kafka::KafkaIdentity& id = p.kafka_context->identity;
  id.node_id = config_.node_id;
  id.cluster_id = cluster_id;
  id.advertised = config_.kafka_advertised_listener.host.empty() ? p.kafka_address
                                                                 : config_.kafka_advertised_listener;
  p.kafka->start();
  logger()->info("kafka: security_protocol={} sasl_mechanisms={}", config_.kafka_security_protocol,
                 options.security_protocol == kafka::KafkaSecurityProtocol::plaintext
                     ? "-"
                     : config_.kafka_sasl_mechanisms);
  return Status::ok_status();
}

void Server::stop() {
  if (!started_) return;
  started_ = false;
  Parts& p = *parts_;
  logger()->info("broker: stopping");
  stopping_.store(true, std::memory_order_release);
  if (p.http) p.http->stop();
  // Answers pending JoinGroup/SyncGroup calls before the listeners drain.
  if (p.groups) p.groups->stop();
  // Wake every long-polling Kafka fetch (it answers, seeing stopping_), then
  // close the listener; handlers still on the pool answer into closed sockets.
  if (p.kafka_watch) p.kafka_watch->stop();
  if (p.kafka) p.kafka->stop();
  if (p.grpc_server) {
    // In-flight calls get a moment to finish; then gRPC cancels them.
    p.grpc_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  }
  if (p.topics) p.topics->stop();  // closes every log on its strand
  if (p.logs) {
    Status closed = p.logs->close();  // and stops the Flusher
    if (!closed.ok()) logger()->error("broker: closing logs: {}", closed.to_string());
  }
  if (p.pool) p.pool->join();
  // After the pool: a handler that finished its call may still be returning
  // from Finish() into the server (Shutdown() saw the call done through
  // gRPC's own synchronization, which TSan cannot see; the join it can).
  p.grpc_server.reset();
  p.kafka.reset();  // after the pool: handlers post into its reactors
  p.kafka_context.reset();
  p.kafka_watch.reset();  // after the logs closed: they held its registrations
  p.services.clear();
  p.context.reset();
  p.producer_ids.reset();  // after both protocols' contexts
  p.groups.reset();
  p.offsets.reset();
  p.topics.reset();
  p.pool.reset();
  p.logs.reset();
  p.sasl.reset();  // after the listeners and the pool: exchanges used it
  p.credentials.reset();
  p.metadata.reset();
  p.kv.reset();
  p.data_dir_lock.reset();
  logger()->info("broker: stopped");
}

const HostPort& Server::native_address() const { return parts_->native_address; }
const HostPort& Server::http_address() const { return parts_->http_address; }
const HostPort& Server::kafka_address() const { return parts_->kafka_address; }

}  // namespace strata::broker
