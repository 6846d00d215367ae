#include "outbox/rate_limiter.h"

#include <algorithm>
#include <thread>

namespace sac::outbox {

RateLimiter::RateLimiter(const std::map<std::string, int, std::less<>>& per_second) {
  const auto now = std::chrono::steady_clock::now();
  for (const auto& [channel, rate] : per_second) {
    if (rate <= 0) continue;
    // Full at the start: one second's worth may go at once.
    buckets_.emplace(channel, Bucket{static_cast<double>(rate), static_cast<double>(rate), now});
  }
}

std::chrono::nanoseconds RateLimiter::Reserve(std::string_view channel) {
  std::lock_guard lock(mutex_);
  const auto found = buckets_.find(channel);
  if (found == buckets_.end()) return std::chrono::nanoseconds(0);
  Bucket& bucket = found->second;
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - bucket.refilled).count();
  bucket.tokens = std::min(bucket.per_second, bucket.tokens + elapsed * bucket.per_second);
  bucket.refilled = now;
  bucket.tokens -= 1;
  if (bucket.tokens >= 0) return std::chrono::nanoseconds(0);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::duration<double>(-bucket.tokens / bucket.per_second));
}

void RateLimiter::Acquire(std::string_view channel) {
  const auto wait = Reserve(channel);
  if (wait.count() > 0) std::this_thread::sleep_for(wait);
}

}  // namespace sac::outbox
