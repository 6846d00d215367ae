// Staff accounts: who may sign in to the staff web, with which role.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace sac::web {

inline constexpr std::string_view kDemoUsername = "demo";

struct NewStaffUser {
  std::string username;
  std::string display_name;
  std::string role;  // administrador, atencion_ciudadana, enlace, director
  std::string password;
};

// false when the username is taken (nothing changes then).
bool CreateStaffUser(storage::Tx& tx, const NewStaffUser& user);

// From the CLI (`sac user create`): checks the username, the role and that an enlace names the
// dependencias they work for (which must exist); creates the account with a random first password
// it must change at first sign-in, and returns that password, once. kInvalidArgument names what
// is wrong; kConflict when the username is taken.
Result<std::string> CreateAccount(storage::Tx& tx, const std::string& username,
                                  const std::string& display_name, const std::string& role,
                                  const std::vector<std::string>& dependencias);

// An enlace's dependencias, replaced by these (at least one; each must exist). Takes effect on
// the enlace's next page. kNotFound, or kInvalidArgument for a role that has none.
Status BindDependencias(storage::Tx& tx, const std::string& username,
                        const std::vector<std::string>& dependencias);

// Every session of the account ends (a computer left signed in somewhere); it may sign in again.
// Returns the account's id; kNotFound.
Result<std::int64_t> EndSessions(storage::Tx& tx, const std::string& username);

// `sac user disable`: the account can no longer sign in and its sessions end. kNotFound.
Status DisableAccount(storage::Tx& tx, const std::string& username);

// `sac user reset-password`: a new random password to change at next sign-in, returned once;
// every session of the account ends. kNotFound.
Result<std::string> ResetPassword(storage::Tx& tx, const std::string& username);

// Creates the demo administrator with a fresh random password and returns that password, once;
// nullopt when the account already exists. There is never a fixed default password.
std::optional<std::string> CreateDemoAccount(storage::Tx& tx);

}  // namespace sac::web
