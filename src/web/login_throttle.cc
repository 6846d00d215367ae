#include "web/login_throttle.h"

#include <algorithm>

namespace sac::web {
namespace {

using storage::Statement;

// $1 username, $2 now, $3 window (s): failures in the window and the latest one.
constexpr Statement kRecent{
    "login.recent_failures",
    "SELECT count(*), extract(epoch FROM max(at))::float8 FROM login_failure "
    "WHERE username = $1 AND at > $2::timestamptz - $3::float8 * interval '1 second'"};
constexpr Statement kRecord{"login.record_failure",
                            "INSERT INTO login_failure (username, at) VALUES ($1, $2)"};
constexpr Statement kClear{"login.clear", "DELETE FROM login_failure WHERE username = $1"};

}  // namespace

std::optional<std::chrono::seconds> LoginThrottle::WaitFor(storage::Tx& tx,
                                                           std::string_view username,
                                                           TimePoint now) {
  const auto row = tx.Exec(kRecent, {username, now, static_cast<double>(kWindow.count())}).at(0);
  const std::int64_t failures = row.Int(0);
  if (failures < kFreeFailures || row.IsNull(1)) return std::nullopt;
  const auto over = std::min<std::int64_t>(failures - kFreeFailures + 1, 10);
  const std::chrono::seconds wait =
      std::min<std::chrono::seconds>(std::chrono::seconds(std::int64_t{1} << over), kMaxWait);
  const auto last = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
      std::chrono::duration<double>(row.Double(1))));
  const auto ready = last + wait;
  if (now >= ready) return std::nullopt;
  return std::chrono::ceil<std::chrono::seconds>(ready - now);
}

void LoginThrottle::RecordFailure(storage::Tx& tx, std::string_view username, TimePoint now) {
  tx.Exec(kRecord, {username, now});
}

void LoginThrottle::Clear(storage::Tx& tx, std::string_view username) {
  tx.Exec(kClear, {username});
}

}  // namespace sac::web
