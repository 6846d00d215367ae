// Staff accounts: who may sign in to the staff web, with which role.
#pragma once

#include <optional>
#include <string>
#include <string_view>

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

// Creates the demo administrator with a fresh random password and returns that password, once;
// nullopt when the account already exists. There is never a fixed default password.
std::optional<std::string> CreateDemoAccount(storage::Tx& tx);

}  // namespace sac::web
