// Secrets SAC must read back — the staff's second-factor keys: a TOTP code is computed from the
// key itself, so it cannot be kept as a hash — sealed at rest with AES-256-GCM under a key kept
// outside the database (SAC_SECRET_KEY; retired ones in SAC_SECRET_KEY_PREVIOUS, as long as a
// backup sealed with them is kept). A copy of the database or of a backup gives none of them away.
//
// Stored form: "sac1" | the key's id (the first 8 hex digits of its SHA-256) | a 12-byte nonce
// | the ciphertext | GCM's 16-byte tag. The tag also covers a context naming where the value
// belongs ("staff_user.totp_secret:42"): copied to another account's row, it does not open.
// A value without the "sac1" mark is one kept in clear (before a key was set): it is read as it
// is, and sealed at the next chance (NeedsResealing). A marked value is always taken as sealed
// (a second-factor key kept in clear starts with the mark once in 2^32).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sac::crypto {

class SecretBox {
 public:
  // No key: values are kept in clear (`sac serve` warns at start).
  SecretBox() = default;
  // Keys as 64 hexadecimal digits (32 bytes), the one that seals first (SAC_SECRET_KEY), then
  // the retired ones (SAC_SECRET_KEY_PREVIOUS); every one opens. kInvalidArgument naming the
  // variable of a malformed or repeated one (never its value).
  static Result<SecretBox> FromHex(const std::vector<std::string>& keys);

  bool seals() const { return !keys_.empty(); }

  // The value to store: sealed under the first key, or `plain` itself when there is no key.
  std::string Seal(std::string_view plain, std::string_view context) const;
  // What Seal was given. kUnavailable when it was sealed under a key this box does not hold
  // (the key was changed without SAC_SECRET_KEY_PREVIOUS); kUnauthenticated when it does not open
  // (altered, truncated, or another row's).
  Result<std::string> Open(std::string_view stored, std::string_view context) const;
  // Kept in clear while a key is set, or sealed under a key other than the first.
  bool NeedsResealing(std::string_view stored) const;

 private:
  struct Key {
    std::array<unsigned char, 32> bytes{};
    std::string id;  // the first 8 hex digits of the key's SHA-256
  };
  std::vector<Key> keys_;
};

}  // namespace sac::crypto
