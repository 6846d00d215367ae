// Requests per key (an API token, an app's key) in this process: a token bucket that holds
// `per_minute` requests and refills continuously, so a client may burst up to its minute's worth
// and then goes at the steady rate. Several `sac serve` processes each allow their own.
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace sac::http {

class RequestQuota {
 public:
  explicit RequestQuota(int per_minute) : per_minute_(per_minute) {}

  // nullopt when a request for `key` may go now (and it is counted); otherwise how long until
  // the next one may, rounded up to whole seconds (for Retry-After).
  std::optional<std::chrono::seconds> Take(std::string_view key, TimePoint now);

  // Keys with a bucket now (tests: made-up keys must not pile up).
  std::size_t tracked_keys() {
    std::lock_guard lock(mutex_);
    return buckets_.size();
  }

 private:
  struct Bucket {
    double tokens = 0;
    TimePoint updated;
  };
  const int per_minute_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  TimePoint last_sweep_;
};

}  // namespace sac::http
