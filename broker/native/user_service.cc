#include "broker/native/user_service.h"

#include <vector>

#include "broker/logger.h"
#include "broker/native/error_mapping.h"
#include "broker/security/credential_store.h"
#include "common/secret.h"

namespace strata::broker::native {
namespace {

using security::ScramMechanism;

// Both SCRAM records for `password`, each with its own salt.
Result<std::vector<security::ScramCredential>> make_records(const Secret& password,
                                                            std::int32_t iterations) {
  std::vector<security::ScramCredential> records;
  for (const ScramMechanism m : {ScramMechanism::sha256, ScramMechanism::sha512}) {
    STRATA_TRY_ASSIGN(auto record, security::make_scram_credential(m, password, iterations));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

grpc::ServerUnaryReactor* UserService::CreateUser(grpc::CallbackServerContext* call,
                                                  const v1::CreateUserRequest* request,
                                                  v1::CreateUserResponse* response) {
  return run_unary(call, ctx_, "CreateUser", ctx_.pool.get_executor(), [this, request, response] {
    const Secret password(request->password());
    Status st = security::validate_user_name(request->name());
    if (st.ok() && password.empty()) st = invalid_argument_error("password is empty");
    if (!st.ok()) {
      *response->mutable_error() = to_proto_error(st, ErrorSubject::user);
      return;
    }
    const std::int32_t iterations =
        request->iterations() == 0 ? security::kMinScramIterations : request->iterations();
    auto records = make_records(password, iterations);
    if (records.ok()) st = credentials_.put_user(request->name(), *records);
    if (!records.ok()) st = records.status();
    if (!st.ok()) {
      logger()->info("CreateUser {}: {}", request->name(), st.to_string());
      *response->mutable_error() = to_proto_error(st);
      return;
    }
    logger()->info("CreateUser {}: stored SCRAM-SHA-256 and SCRAM-SHA-512 iterations={}",
                   request->name(), iterations);
  });
}

grpc::ServerUnaryReactor* UserService::DeleteUser(grpc::CallbackServerContext* call,
                                                  const v1::DeleteUserRequest* request,
                                                  v1::DeleteUserResponse* response) {
  return run_unary(call, ctx_, "DeleteUser", ctx_.pool.get_executor(), [this, request, response] {
    const Status st = credentials_.remove_user(request->name());
    if (!st.ok()) {
      *response->mutable_error() = to_proto_error(st, ErrorSubject::user);
      return;
    }
    logger()->info("DeleteUser {}: deleted", request->name());
  });
}

grpc::ServerUnaryReactor* UserService::ListUsers(grpc::CallbackServerContext* call,
                                                 const v1::ListUsersRequest* /*request*/,
                                                 v1::ListUsersResponse* response) {
  return run_unary(call, ctx_, "ListUsers", ctx_.pool.get_executor(), [this, response] {
    auto users = credentials_.list_users();
    if (!users.ok()) {
      *response->mutable_error() = to_proto_error(users.status());
      return;
    }
    for (const security::UserSummary& u : *users) {
      v1::User* out = response->add_users();
      out->set_name(u.name);
      for (const ScramMechanism m : u.mechanisms) {
        out->add_mechanisms(std::string(security::mechanism_name(m)));
      }
    }
  });
}

}  // namespace strata::broker::native
