#include "web/staff_accounts.h"

#include "crypto/digest.h"
#include "crypto/password.h"

namespace sac::web {
namespace {

constexpr storage::Statement kInsertUser{
    "staff.insert",
    "INSERT INTO staff_user (username, display_name, role, password_hash) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING id"};

constexpr storage::Statement kUserExists{"staff.exists",
                                         "SELECT 1 FROM staff_user WHERE username = $1"};

}  // namespace

bool CreateStaffUser(storage::Tx& tx, const NewStaffUser& user) {
  return !tx.Exec(kInsertUser, {user.username, user.display_name, user.role,
                                crypto::HashPassword(user.password)})
              .empty();
}

std::optional<std::string> CreateDemoAccount(storage::Tx& tx) {
  if (!tx.Exec(kUserExists, {kDemoUsername}).empty()) {
    return std::nullopt;  // don't pay for a hash we won't store
  }
  std::string password = crypto::RandomToken(12);
  const bool created = CreateStaffUser(
      tx, {std::string(kDemoUsername), "Cuenta de demostración", "administrador", password});
  return created ? std::optional<std::string>(std::move(password)) : std::nullopt;
}

}  // namespace sac::web
