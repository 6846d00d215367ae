#include "crypto/totp.h"

#include <chrono>

#include "crypto/digest.h"

namespace sac::crypto {
namespace {

constexpr std::string_view kIssuer = "SAC%20Mazatl%C3%A1n";  // "SAC Mazatlán", percent-encoded

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
        (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' || byte == '~') {
      out.push_back(c);
    } else {
      out += '%';
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xF]);
    }
  }
  return out;
}

}  // namespace

std::string Base32Encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      out.push_back(kAlphabet[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(buffer << (5 - bits)) & 0x1F]);
  }
  return out;
}

std::int64_t TotpStep(TimePoint time) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch());
  return seconds.count() / kTotpStepSeconds;
}

std::string TotpCode(std::string_view secret, std::int64_t step, int digits) {
  std::string counter(8, '\0');
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xFF);
    value >>= 8;
  }
  const std::string mac = HmacSha1(secret, counter);
  const auto byte = [&](std::size_t i) {
    return static_cast<std::uint32_t>(static_cast<unsigned char>(mac[i]));
  };
  const std::size_t offset = byte(19) & 0x0F;
  const std::uint32_t binary = ((byte(offset) & 0x7F) << 24) | (byte(offset + 1) << 16) |
                               (byte(offset + 2) << 8) | byte(offset + 3);
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code, TimePoint now,
                                      std::int64_t last_used_step) {
  std::string digits;
  for (const char c : code) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || digits.size() >= 6) return std::nullopt;
    digits.push_back(c);
  }
  if (digits.size() != 6) return std::nullopt;
  const std::int64_t current = TotpStep(now);
  std::optional<std::int64_t> matched;
  for (std::int64_t step = current - 1; step <= current + 1; ++step) {
    // Every candidate is computed and compared, so the time taken says nothing about which matched.
    const bool equal = ConstantTimeEquals(TotpCode(secret, step), digits);
    if (equal && step > last_used_step && !matched) matched = step;
  }
  return matched;
}

std::string TotpUri(std::string_view secret, std::string_view account) {
  return "otpauth://totp/" + std::string(kIssuer) + ":" + PercentEncode(account) +
         "?secret=" + Base32Encode(secret) + "&issuer=" + std::string(kIssuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace sac::crypto
