#include "web/staff_accounts.h"

#include <algorithm>

#include "crypto/digest.h"
#include "crypto/password.h"
#include "web/second_factor.h"
#include "web/staff_session.h"
#include "web/trusted_devices.h"

namespace sac::web {
namespace {

constexpr storage::Statement kInsertUser{
    "staff.insert",
    "INSERT INTO staff_user (username, display_name, role, password_hash) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT (username) DO NOTHING RETURNING id"};

constexpr storage::Statement kUserExists{"staff.exists",
                                         "SELECT 1 FROM staff_user WHERE username = $1"};
constexpr storage::Statement kUserId{"staff.id_of", "SELECT id FROM staff_user WHERE username = $1"};

constexpr storage::Statement kDependenciaExists{
    "staff.dependencia_exists", "SELECT 1 FROM dependencia WHERE id = $1"};
constexpr storage::Statement kBind{
    "staff.bind_dependencia",
    "INSERT INTO staff_user_dependencia (user_id, dependencia_id) "
    "SELECT id, $2 FROM staff_user WHERE username = $1 ON CONFLICT DO NOTHING"};
constexpr storage::Statement kUnbindAll{
    "staff.unbind_all",
    "DELETE FROM staff_user_dependencia WHERE user_id = (SELECT id FROM staff_user WHERE username = $1)"};
constexpr storage::Statement kRoleOf{"staff.role_of",
                                     "SELECT role FROM staff_user WHERE username = $1"};
constexpr storage::Statement kDisable{
    "staff.disable", "UPDATE staff_user SET active = false WHERE username = $1 RETURNING id"};
constexpr storage::Statement kReset{
    "staff.reset_password",
    "UPDATE staff_user SET password_hash = $2, must_change_password = true, active = true "
    "WHERE username = $1 RETURNING id"};

bool ValidUsername(std::string_view name) {
  return name.size() >= 3 && name.size() <= 64 &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                  c == '-';
         });
}

// 18 random bytes, base64url: 24 characters to read out once and type once.
std::string FirstPassword() { return crypto::RandomToken(18); }

}  // namespace

Result<std::string> CreateAccount(storage::Tx& tx, const std::string& username,
                                  const std::string& display_name, const std::string& role,
                                  const std::vector<std::string>& dependencias) {
  if (!ValidUsername(username)) {
    return MakeError(Errc::kInvalidArgument,
                     "el usuario lleva de 3 a 64 letras minúsculas, dígitos, '.', '_' o '-'");
  }
  if (display_name.empty()) return MakeError(Errc::kInvalidArgument, "falta el nombre");
  constexpr std::string_view kRoles[] = {"administrador", "atencion_ciudadana", "enlace",
                                         "director"};
  if (std::find(std::begin(kRoles), std::end(kRoles), role) == std::end(kRoles)) {
    return MakeError(Errc::kInvalidArgument,
                     "rol desconocido: administrador, atencion_ciudadana, enlace o director");
  }
  if (role == "enlace" && dependencias.empty()) {
    return MakeError(Errc::kInvalidArgument, "un enlace necesita al menos una dependencia");
  }
  if (role != "enlace" && !dependencias.empty()) {
    return MakeError(Errc::kInvalidArgument, "solo los enlaces se ligan a dependencias");
  }
  for (const std::string& dependencia : dependencias) {
    if (tx.Exec(kDependenciaExists, {dependencia}).empty()) {
      return MakeError(Errc::kInvalidArgument, "no existe la dependencia '" + dependencia + "'");
    }
  }
  std::string password = FirstPassword();
  if (!CreateStaffUser(tx, {username, display_name, role, password})) {
    return MakeError(Errc::kConflict, "ya existe el usuario '" + username + "'");
  }
  for (const std::string& dependencia : dependencias) tx.Exec(kBind, {username, dependencia});
  return password;
}

Status BindDependencias(storage::Tx& tx, const std::string& username,
                        const std::vector<std::string>& dependencias) {
  const auto role = tx.Exec(kRoleOf, {username});
  if (role.empty()) return MakeError(Errc::kNotFound, "no existe el usuario '" + username + "'");
  if (role.at(0).Text(0) != "enlace") {
    return MakeError(Errc::kInvalidArgument, "solo los enlaces se ligan a dependencias");
  }
  if (dependencias.empty()) {
    return MakeError(Errc::kInvalidArgument, "un enlace necesita al menos una dependencia");
  }
  for (const std::string& dependencia : dependencias) {
    if (tx.Exec(kDependenciaExists, {dependencia}).empty()) {
      return MakeError(Errc::kInvalidArgument, "no existe la dependencia '" + dependencia + "'");
    }
  }
  tx.Exec(kUnbindAll, {username});
  for (const std::string& dependencia : dependencias) tx.Exec(kBind, {username, dependencia});
  return {};
}

Result<std::int64_t> EndSessions(storage::Tx& tx, const std::string& username) {
  const auto rows = tx.Exec(kUserId, {username});
  if (rows.empty()) return MakeError(Errc::kNotFound, "no existe el usuario '" + username + "'");
  SessionStore::DestroyAllOf(tx, rows.at(0).Int(0));
  TrustedDevices::ForgetAll(tx, rows.at(0).Int(0));  // "ningún equipo es de confianza"
  return rows.at(0).Int(0);
}

Status DisableAccount(storage::Tx& tx, const std::string& username) {
  const auto rows = tx.Exec(kDisable, {username});
  if (rows.empty()) return MakeError(Errc::kNotFound, "no existe el usuario '" + username + "'");
  SessionStore::DestroyAllOf(tx, rows.at(0).Int(0));
  return {};
}

Result<std::string> ResetPassword(storage::Tx& tx, const std::string& username) {
  std::string password = FirstPassword();
  const auto rows = tx.Exec(kReset, {username, crypto::HashPassword(password)});
  if (rows.empty()) return MakeError(Errc::kNotFound, "no existe el usuario '" + username + "'");
  SessionStore::DestroyAllOf(tx, rows.at(0).Int(0));
  EndSignInStepsOf(tx, rows.at(0).Int(0));  // a code must not finish a sign-in with the old password
  TrustedDevices::ForgetAll(tx, rows.at(0).Int(0));  // the account may have been someone else's
  return password;
}

bool CreateStaffUser(storage::Tx& tx, const NewStaffUser& user) {
  return !tx.Exec(kInsertUser, {user.username, user.display_name, user.role,
                                crypto::HashPassword(user.password)})
              .empty();
}

std::optional<std::string> CreateDemoAccount(storage::Tx& tx) {
  if (!tx.Exec(kUserExists, {kDemoUsername}).empty()) {
    return std::nullopt;  // don't pay for a hash we won't store
  }
  std::string password = crypto::RandomToken(16);  // 128 bits at least
  const bool created = CreateStaffUser(
      tx, {std::string(kDemoUsername), "Cuenta de demostración", "administrador", password});
  return created ? std::optional<std::string>(std::move(password)) : std::nullopt;
}

}  // namespace sac::web
