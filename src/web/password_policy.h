// What a staff member's new password must be (ASVS 6.2): at least twelve characters; not among
// the ~30,000 passwords most found in leaked sets (zxcvbn's list, built into the binary from
// web/node_modules) nor a word anyone here would try first (mazatlán, sinaloa, contraseña...),
// even with digits or symbols around it or in capitals; no run like "123456" or "abcdef"; not
// containing the username; not a few characters repeated. A phrase of several words passes.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sac::web {

inline constexpr std::size_t kMinPasswordLength = 12;  // characters, not bytes

// Why `password` may not be `username`'s new password, in Spanish for the person; nullopt when
// it may.
std::optional<std::string> PasswordProblem(std::string_view password, std::string_view username);

// The leaked passwords, comma-separated (generated: web/embed_common_passwords.cmake).
std::string_view LeakedPasswordList();

}  // namespace sac::web
