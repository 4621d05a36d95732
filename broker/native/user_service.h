#pragma once

#include "broker/native/service_context.h"
#include "strata/v1/user_service.grpc.pb.h"

namespace strata::broker::security {
class CredentialStore;
}

namespace strata::broker::native {

// strata.v1.UserService: the SASL users, kept as SCRAM records in the
// CredentialStore (which must outlive the service). Every call runs on the
// pool (PBKDF2 and RocksDB), never on a gRPC thread. The password is wrapped
// in a Secret as soon as it is read and never logged.
class UserService final : public v1::UserService::CallbackService {
 public:
  UserService(ServiceContext& ctx, security::CredentialStore& credentials)
      : ctx_(ctx), credentials_(credentials) {}

  grpc::ServerUnaryReactor* CreateUser(grpc::CallbackServerContext* call,
                                       const v1::CreateUserRequest* request,
                                       v1::CreateUserResponse* response) override;
  grpc::ServerUnaryReactor* DeleteUser(grpc::CallbackServerContext* call,
                                       const v1::DeleteUserRequest* request,
                                       v1::DeleteUserResponse* response) override;
  grpc::ServerUnaryReactor* ListUsers(grpc::CallbackServerContext* call,
                                      const v1::ListUsersRequest* request,
                                      v1::ListUsersResponse* response) override;

 private:
  ServiceContext& ctx_;
  security::CredentialStore& credentials_;
};

}  // namespace strata::broker::native
