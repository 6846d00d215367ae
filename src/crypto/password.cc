#include "crypto/password.h"

#include <sodium.h>

#include <stdexcept>

namespace sac::crypto {

std::string HashPassword(std::string_view password) {
  if (sodium_init() < 0) {
    throw std::runtime_error("libsodium could not initialise");
  }
  char encoded[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(encoded, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return encoded;
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  if (sodium_init() < 0) {
    return false;
  }
  const std::string hash(encoded_hash);  // libsodium wants it NUL-terminated
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

}  // namespace sac::crypto
