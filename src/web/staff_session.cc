#include "web/staff_session.h"

#include "crypto/digest.h"

namespace sac::web {
namespace {

using storage::Statement;

constexpr Statement kInsert{
    "staff_session.insert",
    "INSERT INTO staff_session (id_hash, user_id, csrf_token, created_at, last_seen_at) "
    "VALUES ($1, $2, $3, $4, $4)"};

// $1 id hash, $2 now, $3 idle (s), $4 absolute (s). Touches a live session and returns its user.
constexpr Statement kTouch{
    "staff_session.touch",
    "UPDATE staff_session s SET last_seen_at = $2 FROM staff_user u "
    "WHERE s.id_hash = $1 AND u.id = s.user_id AND u.active"
    "  AND s.last_seen_at > $2::timestamptz - $3::float8 * interval '1 second'"
    "  AND s.created_at > $2::timestamptz - $4::float8 * interval '1 second' "
    "RETURNING u.id, u.username, u.display_name, u.role, u.must_change_password, s.csrf_token,"
    "  coalesce((SELECT string_agg(d.dependencia_id, ',' ORDER BY d.dependencia_id)"
    "            FROM staff_user_dependencia d WHERE d.user_id = u.id), ''),"
    "  u.totp_enabled_at IS NOT NULL"};

constexpr Statement kDelete{"staff_session.delete", "DELETE FROM staff_session WHERE id_hash = $1"};
constexpr Statement kDeleteOfUser{"staff_session.delete_of_user",
                                  "DELETE FROM staff_session WHERE user_id = $1"};

// Sessions past their limits are removed whenever someone signs in: the table stays small.
constexpr Statement kDeleteExpired{
    "staff_session.delete_expired",
    "DELETE FROM staff_session WHERE last_seen_at < $1::timestamptz - $2::float8 * interval '1 second'"
    "  OR created_at < $1::timestamptz - $3::float8 * interval '1 second'"};

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

// "https://host:port" of a URL (scheme and authority), or "" when it is not one.
std::string_view OriginOf(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const auto path = url.find('/', scheme + 3);
  return url.substr(0, path);
}

}  // namespace

std::string SessionStore::Create(storage::Tx& tx, std::int64_t user_id) {
  const TimePoint now = clock_.Now();
  tx.Exec(kDeleteExpired, {now, static_cast<double>(settings_.idle_timeout.count()),
                           static_cast<double>(settings_.absolute_timeout.count())});
  const std::string id = crypto::RandomToken(32);
  tx.Exec(kInsert, {crypto::Sha256Hex(id), user_id, crypto::RandomToken(32), now});
  return id;
}

std::optional<StaffSession> SessionStore::Find(storage::Tx& tx, const HttpRequest& request) {
  const auto cookie = CookieValue(request, cookie_name());
  if (!cookie || cookie->empty() || cookie->size() > 128) return std::nullopt;
  const auto rows = tx.Exec(kTouch, {crypto::Sha256Hex(*cookie), clock_.Now(),
                                     static_cast<double>(settings_.idle_timeout.count()),
                                     static_cast<double>(settings_.absolute_timeout.count())});
  if (rows.empty()) return std::nullopt;
  const auto row = rows.at(0);
  StaffSession session;
  session.user.id = row.Int(0);
  session.user.username = row.Text(1);
  session.user.display_name = row.Text(2);
  session.user.role = row.Text(3);
  session.user.must_change_password = row.Bool(4);
  session.csrf_token = row.Text(5);
  session.user.dependencias = SplitCommas(row.Text(6));
  session.user.second_factor_enabled = row.Bool(7);
  return session;
}

void SessionStore::Destroy(storage::Tx& tx, const HttpRequest& request) {
  if (const auto cookie = CookieValue(request, cookie_name())) {
    tx.Exec(kDelete, {crypto::Sha256Hex(*cookie)});
  }
}

void SessionStore::DestroyAllOf(storage::Tx& tx, std::int64_t user_id) {
  tx.Exec(kDeleteOfUser, {user_id});
}

std::string SessionStore::CookieFor(std::string_view session_id) const {
  // No Max-Age: the browser forgets it when closed; the server enforces the real limits.
  return std::string(cookie_name()) + "=" + std::string(session_id) +
         "; Path=/; HttpOnly; SameSite=Strict" + (settings_.secure_cookie ? "; Secure" : "");
}

std::string SessionStore::ExpiredCookie() const {
  return std::string(cookie_name()) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" +
         (settings_.secure_cookie ? "; Secure" : "");
}

std::optional<std::string> CookieValue(const HttpRequest& request, std::string_view name) {
  const auto header = request.headers.Get("Cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const std::size_t end = std::min(rest.find(';'), rest.size());
    const std::string_view pair = Trim(rest.substr(0, end));
    rest.remove_prefix(std::min(rest.size(), end + 1));
    const std::size_t equals = pair.find('=');
    if (equals != std::string_view::npos && pair.substr(0, equals) == name) {
      return std::string(pair.substr(equals + 1));
    }
  }
  return std::nullopt;
}

bool IsSameOrigin(const HttpRequest& request) {
  const auto host = request.headers.Get("Host");
  if (!host || host->empty()) return false;
  std::string_view claimed;
  const auto origin = request.headers.Get("Origin");
  const auto referer = request.headers.Get("Referer");
  if (origin && *origin != "null") {
    claimed = OriginOf(*origin);
  } else if (referer) {
    claimed = OriginOf(*referer);
  } else {
    return false;  // a browser sends one of them on every form post; without either, refuse
  }
  // Behind the reverse proxy the scheme may differ from ours; the host must not.
  const auto authority = claimed.find("://");
  return authority != std::string_view::npos && claimed.substr(authority + 3) == *host;
}

}  // namespace sac::web
