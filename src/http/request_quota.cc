#include "http/request_quota.h"

#include <algorithm>
#include <cmath>

namespace sac::http {

std::optional<std::chrono::seconds> RequestQuota::Take(std::string_view key, TimePoint now) {
  const double per_second = per_minute_ / 60.0;
  std::lock_guard lock(mutex_);
  // A full bucket is the same as no bucket: forget the keys that refilled, now and then, so a
  // stream of made-up keys cannot grow the map without end.
  if (now - last_sweep_ > std::chrono::minutes(1)) {
    std::erase_if(buckets_, [&](const auto& entry) {
      return now - entry.second.updated >= std::chrono::minutes(1);
    });
    last_sweep_ = now;
  }
  auto [found, created] = buckets_.try_emplace(std::string(key));
  Bucket& bucket = found->second;
  if (created) {
    bucket.tokens = per_minute_;
  } else {
    const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
    bucket.tokens = std::min<double>(per_minute_, bucket.tokens + std::max(0.0, elapsed) * per_second);
  }
  bucket.updated = now;
  if (bucket.tokens >= 1.0) {
    bucket.tokens -= 1.0;
    return std::nullopt;
  }
  const double wait = (1.0 - bucket.tokens) / per_second;
  return std::chrono::seconds(static_cast<std::int64_t>(std::ceil(wait)));
}

}  // namespace sac::http
