// Hashes, HMACs, constant-time comparison and random tokens (OpenSSL and libsodium stay here).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sac::crypto {

std::string Sha256Hex(std::string_view data);

// Lowercase hex HMAC-SHA256, as Meta's X-Hub-Signature-256 carries it.
std::string HmacSha256Hex(std::string_view key, std::string_view data);

// Base64 HMAC-SHA1, as Twilio's X-Twilio-Signature carries it.
std::string HmacSha1Base64(std::string_view key, std::string_view data);
// The raw 20 bytes of HMAC-SHA1 (TOTP's one-time codes, crypto/totp.h).
std::string HmacSha1(std::string_view key, std::string_view data);

// Standard base64 (with padding) of arbitrary bytes, and its inverse (nullopt when malformed).
std::string Base64Encode(std::string_view bytes);
std::optional<std::string> Base64Decode(std::string_view text);

// Compares secrets without leaking through timing where the first difference is. The length
// may leak; every caller compares values of a public, fixed length.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

// A random string carrying at least `bytes` bytes of entropy from the OS CSPRNG, written in a
// 31-letter alphabet without look-alike characters (safe to read aloud or type).
std::string RandomToken(std::size_t bytes);

// `count` bytes from the OS CSPRNG.
std::string RandomBytes(std::size_t count);

}  // namespace sac::crypto
