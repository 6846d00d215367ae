// Browsers an account has signed in from before (OWASP's "device cookies", migration 0036). The
// sign-in throttle (login_throttle.h) slows every try for a username after a few failures, which
// lets anyone who knows a username keep its owner waiting. A browser that completed a sign-in for
// an account carries a cookie naming it; its tries for that account skip the username's and the
// address's throttle and count against the browser alone: ten wrong passwords or codes in a row
// and it is forgotten (it then waits like any other browser).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/http_message.h"
#include "storage/database.h"

namespace sac::web {

// A vouching browser, as the sign-in pages pass it around: the SHA-256 of its cookie.
struct TrustedDevice {
  std::string token_hash;
};

class TrustedDevices {
 public:
  static constexpr int kMaxFailures = 10;
  static constexpr std::chrono::days kLifetime{180};
  static constexpr std::string_view kCookie = "sac_equipo";

  // The browser's device, when its cookie names one that signed in as `username` (an active
  // account), used within kLifetime, with fewer than kMaxFailures wrong tries since.
  static std::optional<TrustedDevice> Vouching(storage::Tx& tx, const HttpRequest& request,
                                               std::string_view username, TimePoint now);

  // Whether it still has fewer than kMaxFailures wrong tries (read again under the sign-in
  // throttle's lock: parallel tries from one browser cannot all pass on an old count).
  static bool StillVouches(storage::Tx& tx, const TrustedDevice& device);

  // A wrong password or code from a vouching browser: the kMaxFailures-th forgets it.
  static void RecordFailure(storage::Tx& tx, const TrustedDevice& device);

  // After a complete sign-in: the browser's device for this account counts from zero again, or
  // the browser becomes one. The Set-Cookie header value to send (each time: it renews the
  // cookie's lifetime).
  static std::string Remember(storage::Tx& tx, const HttpRequest& request, std::int64_t user_id,
                              TimePoint now, bool secure_cookie);

  // "Cerrar sesiones", a new password (set by its owner or an administrator) and a second-factor
  // reset: no browser vouches for the account any more.
  static void ForgetAll(storage::Tx& tx, std::int64_t user_id);
};

}  // namespace sac::web
