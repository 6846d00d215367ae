// Staff passwords: argon2id (libsodium's encoded "$argon2id$v=19$..." strings).
#pragma once

#include <string>
#include <string_view>

namespace sac::crypto {

std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

}  // namespace sac::crypto
