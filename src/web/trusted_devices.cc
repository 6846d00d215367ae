#include "web/trusted_devices.h"

#include "crypto/digest.h"
#include "web/staff_session.h"

namespace sac::web {
namespace {

using storage::Statement;

constexpr double kLifetimeSeconds =
    static_cast<double>(std::chrono::seconds(TrustedDevices::kLifetime).count());

// $1 token hash, $2 username, $3 now, $4 lifetime (s), $5 failures allowed
constexpr Statement kVouching{
    "device.vouching",
    "SELECT 1 FROM staff_trusted_device d JOIN staff_user u ON u.id = d.user_id "
    "WHERE d.token_hash = $1 AND u.username = $2 AND u.active AND d.failures < $5 AND"
    "  d.last_used_at > $3::timestamptz - $4::float8 * interval '1 second'"};
// $1 token hash, $2 failures allowed
constexpr Statement kStillVouches{
    "device.still_vouches",
    "SELECT 1 FROM staff_trusted_device WHERE token_hash = $1 AND failures < $2"};
// $1 token hash, $2 failures allowed: the last one allowed forgets the device instead.
constexpr Statement kForgetSpent{
    "device.forget_spent",
    "DELETE FROM staff_trusted_device WHERE token_hash = $1 AND failures + 1 >= $2"};
constexpr Statement kFailure{
    "device.failure",
    "UPDATE staff_trusted_device SET failures = failures + 1 WHERE token_hash = $1"};
// $1 token hash, $2 user, $3 now
constexpr Statement kRenew{
    "device.renew",
    "UPDATE staff_trusted_device SET failures = 0, last_used_at = $3 "
    "WHERE token_hash = $1 AND user_id = $2"};
constexpr Statement kInsert{
    "device.insert",
    "INSERT INTO staff_trusted_device (token_hash, user_id, created_at, last_used_at) "
    "VALUES ($1, $2, $3, $3)"};
// $1 now, $2 lifetime (s)
constexpr Statement kForgetOld{
    "device.forget_old",
    "DELETE FROM staff_trusted_device "
    "WHERE last_used_at < $1::timestamptz - $2::float8 * interval '1 second'"};
constexpr Statement kForgetAll{"device.forget_all",
                               "DELETE FROM staff_trusted_device WHERE user_id = $1"};

}  // namespace

std::optional<TrustedDevice> TrustedDevices::Vouching(storage::Tx& tx, const HttpRequest& request,
                                                      std::string_view username, TimePoint now) {
  const auto cookie = CookieValue(request, kCookie);
  if (!cookie || cookie->empty() || cookie->size() > 128) return std::nullopt;
  TrustedDevice device{crypto::Sha256Hex(*cookie)};
  if (tx.Exec(kVouching, {device.token_hash, username, now, kLifetimeSeconds, kMaxFailures})
          .empty()) {
    return std::nullopt;
  }
  return device;
}

bool TrustedDevices::StillVouches(storage::Tx& tx, const TrustedDevice& device) {
  return !tx.Exec(kStillVouches, {device.token_hash, kMaxFailures}).empty();
}

void TrustedDevices::RecordFailure(storage::Tx& tx, const TrustedDevice& device) {
  if (tx.Exec(kForgetSpent, {device.token_hash, kMaxFailures}).affected() == 0) {
    tx.Exec(kFailure, {device.token_hash});
  }
}

std::string TrustedDevices::Remember(storage::Tx& tx, const HttpRequest& request,
                                     std::int64_t user_id, TimePoint now, bool secure_cookie) {
  tx.Exec(kForgetOld, {now, kLifetimeSeconds});
  std::string token = CookieValue(request, kCookie).value_or("");
  const bool known = !token.empty() && token.size() <= 128 &&
                     tx.Exec(kRenew, {crypto::Sha256Hex(token), user_id, now}).affected() > 0;
  if (!known) {
    // A new token, also when the browser's cookie belongs to another account: one device per
    // account and browser, the last one to sign in there (a shared desk's previous user's
    // device is simply not vouched for any more).
    token = crypto::RandomToken(32);
    tx.Exec(kInsert, {crypto::Sha256Hex(token), user_id, now});
  }
  return std::string(kCookie) + "=" + token +
         "; Path=/login; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(std::chrono::seconds(kLifetime).count()) +
         (secure_cookie ? "; Secure" : "");
}

void TrustedDevices::ForgetAll(storage::Tx& tx, std::int64_t user_id) {
  tx.Exec(kForgetAll, {user_id});
}

}  // namespace sac::web
