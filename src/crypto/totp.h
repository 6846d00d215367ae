// One-time codes of authenticator apps (TOTP, RFC 6238: HMAC-SHA1, 30-second steps, 6 digits),
// the staff's second factor at sign-in, and the base32 their secrets are typed or scanned in.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace sac::crypto {

inline constexpr int kTotpStepSeconds = 30;

// RFC 4648 base32, upper case, without padding (as otpauth:// URIs carry secrets).
std::string Base32Encode(std::string_view bytes);

// The 30-second step `time` falls in (Unix time / 30).
std::int64_t TotpStep(TimePoint time);

// The code for `step`, `digits` long with leading zeros (RFC 4226's dynamic truncation).
std::string TotpCode(std::string_view secret, std::int64_t step, int digits = 6);

// The step whose code `code` is, among the one `now` falls in and the one on each side (a
// phone's clock a little off, a code typed as it changed), taking only steps after
// `last_used_step`: a code that let someone in once does not work again. nullopt otherwise.
// Spaces in `code` are ignored ("123 456", as apps show it).
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code, TimePoint now,
                                      std::int64_t last_used_step);

// otpauth://totp/SAC%20Mazatl%C3%A1n:<account>?secret=…&issuer=SAC%20Mazatl%C3%A1n — what the
// QR code holds.
std::string TotpUri(std::string_view secret, std::string_view account);

}  // namespace sac::crypto
