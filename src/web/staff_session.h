// Who is signed in to the staff web. Server-side sessions: the cookie carries 256 random bits,
// the table only their SHA-256; a session ends when idle or old past its limits or at sign-out,
// and signing in always starts a new one. Each session has its CSRF token: every form that
// changes something carries it, and the request must come from our own origin.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/http_message.h"
#include "crypto/secret_box.h"
#include "storage/database.h"

namespace sac::web {

inline constexpr std::string_view kSessionCookie = "sac_sesion";
// Over https the cookie is "__Host-sac_sesion": browsers then take it only with Secure, from our
// own host, for Path=/ — no subdomain or plain-http page can plant or shadow it (ASVS 3.3.3).
inline constexpr std::string_view kSecureSessionCookie = "__Host-sac_sesion";

struct SessionSettings {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 3600};
  bool secure_cookie = false;  // behind TLS (public_base_url is https): the cookie says Secure
  std::vector<std::string> trusted_proxies;  // whose X-Forwarded-For names the client
  // Every account must sign in with a code from an authenticator app as well (web/second_factor.h):
  // one without it is sent to enrol before anything else. When false, each person may choose.
  bool second_factor_required = false;
  // Seals the second-factor keys at rest (none: kept in clear).
  crypto::SecretBox secret_box;
};

struct StaffUser {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string role;  // administrador, atencion_ciudadana, enlace, director
  std::vector<std::string> dependencias;  // an enlace's; empty for the other roles
  bool must_change_password = false;
  bool second_factor_enabled = false;
};

struct StaffSession {
  StaffUser user;
  std::string csrf_token;
};

class SessionStore {
 public:
  SessionStore(const Clock& clock, SessionSettings settings)
      : clock_(clock), settings_(settings) {}

  // A new session for the user; returns the cookie value (shown to nobody else, stored nowhere).
  std::string Create(storage::Tx& tx, std::int64_t user_id);
  // The signed-in session of the request's cookie, touched; nullopt when there is none, it ended,
  // or its user was disabled.
  std::optional<StaffSession> Find(storage::Tx& tx, const HttpRequest& request);
  void Destroy(storage::Tx& tx, const HttpRequest& request);
  // Ends every session of a user (disabled, password reset).
  static void DestroyAllOf(storage::Tx& tx, std::int64_t user_id);

  // Set-Cookie values that start and end a session.
  std::string CookieFor(std::string_view session_id) const;
  std::string ExpiredCookie() const;
  bool secure_cookie() const { return settings_.secure_cookie; }
  std::string_view cookie_name() const {
    return settings_.secure_cookie ? kSecureSessionCookie : kSessionCookie;
  }
  bool second_factor_required() const { return settings_.second_factor_required; }
  const crypto::SecretBox& secret_box() const { return settings_.secret_box; }
  const std::vector<std::string>& trusted_proxies() const { return settings_.trusted_proxies; }

 private:
  const Clock& clock_;
  SessionSettings settings_;
};

// The value of a cookie in the request's Cookie header.
std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name);

// A state-changing request is ours when its Origin (or, without one, its Referer) is the origin
// the browser used to reach us (Host), and it carries the session's CSRF token in `csrf`.
bool IsSameOrigin(const HttpRequest& request);

}  // namespace sac::web
