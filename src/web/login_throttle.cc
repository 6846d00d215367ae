#include "web/login_throttle.h"

#include <algorithm>

namespace sac::web {
namespace {

using storage::Statement;

// $1 username, $2 now, $3 window (s): failures in the window and the latest one.
constexpr Statement kRecentForUser{
    "login.recent_failures",
    "SELECT count(*), extract(epoch FROM max(at))::float8 FROM login_failure "
    "WHERE username = $1 AND at > $2::timestamptz - $3::float8 * interval '1 second'"};
// The same for a source address.
constexpr Statement kRecentFromSource{
    "login.recent_failures_from_source",
    "SELECT count(*), extract(epoch FROM max(at))::float8 FROM login_failure "
    "WHERE source = $1 AND source <> '' AND at > $2::timestamptz - $3::float8 * interval '1 second'"};
constexpr Statement kRecord{"login.record_failure",
                            "INSERT INTO login_failure (username, source, at) VALUES ($1, $2, $3)"};
// Failures older than the window count for nothing.
constexpr Statement kForgetOld{
    "login.forget_old_failures",
    "DELETE FROM login_failure WHERE at < $1::timestamptz - $2::float8 * interval '1 second'"};
constexpr Statement kClear{"login.clear", "DELETE FROM login_failure WHERE username = $1"};
// Tries for one username one at a time until their transaction ends: a burst of parallel
// guesses cannot all read the count before any failure is recorded. (Not per source: people
// behind one office address would then sign in one after another, each waiting out the others'
// password checks; a parallel burst from one source gets at most a handful more tries.) Two
// 32-bit keys: a space apart from the inbox's and the scheduler's locks.
constexpr Statement kLockUsername{"login.lock_username",
                                  "SELECT pg_advisory_xact_lock(5316, hashtext($1))"};

// The wait after `failures` in the window (the first `free` cost nothing), counted from the last.
std::optional<std::chrono::seconds> Wait(const storage::Rows& rows, int free, TimePoint now) {
  const auto row = rows.at(0);
  const std::int64_t failures = row.Int(0);
  if (failures < free || row.IsNull(1)) return std::nullopt;
  const auto over = std::min<std::int64_t>(failures - free + 1, 10);
  const std::chrono::seconds wait = std::min<std::chrono::seconds>(
      std::chrono::seconds(std::int64_t{1} << over), LoginThrottle::kMaxWait);
  const auto last = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(row.Double(1))));
  const auto ready = last + wait;
  if (now >= ready) return std::nullopt;
  return std::chrono::ceil<std::chrono::seconds>(ready - now);
}

}  // namespace

std::optional<std::chrono::seconds> LoginThrottle::WaitFor(storage::Tx& tx,
                                                           std::string_view username,
                                                           std::string_view source, TimePoint now,
                                                           std::optional<TrustedDevice>& device) {
  tx.Exec(kLockUsername, {username});
  if (device && !TrustedDevices::StillVouches(tx, *device)) device.reset();
  if (device) return std::nullopt;
  const double window = static_cast<double>(kWindow.count());
  auto wait = Wait(tx.Exec(kRecentForUser, {username, now, window}), kFreeFailures, now);
  if (!source.empty()) {
    const auto from_source =
        Wait(tx.Exec(kRecentFromSource, {source, now, window}), kFreeFailuresPerSource, now);
    if (from_source && (!wait || *from_source > *wait)) wait = from_source;
  }
  return wait;
}

void LoginThrottle::RecordFailure(storage::Tx& tx, std::string_view username,
                                  std::string_view source, TimePoint now,
                                  const std::optional<TrustedDevice>& device) {
  if (device) {
    TrustedDevices::RecordFailure(tx, *device);
    return;
  }
  tx.Exec(kForgetOld, {now, static_cast<double>(kWindow.count())});
  tx.Exec(kRecord, {username, source, now});
}

void LoginThrottle::Clear(storage::Tx& tx, std::string_view username) {
  tx.Exec(kClear, {username});
}

}  // namespace sac::web
