// Sends per second per channel, shared by every sender thread of the process. Providers throttle
// per number or Page (WhatsApp: 80 messages/s; Telegram: ~30/s), and the monthly survey queues
// thousands of questions at once: without a limit they would come back as a storm of 429s.
//
// A token bucket per channel: up to one second's worth goes at once, then the steady rate. Each
// process keeps its own buckets; with several `sac serve` processes, divide the provider's limit.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

namespace sac::outbox {

class RateLimiter {
 public:
  // Channels not named are not limited.
  explicit RateLimiter(const std::map<std::string, int, std::less<>>& per_second);

  // Reserves one send on `channel` and says how long to wait before making it (zero when it may
  // go now). Reservations queue fairly: each caller waits its turn.
  std::chrono::nanoseconds Reserve(std::string_view channel);

  // Reserve, then sleep the wait.
  void Acquire(std::string_view channel);

 private:
  struct Bucket {
    double per_second = 0;
    double tokens = 0;  // below zero: sends already promised to waiting callers
    std::chrono::steady_clock::time_point refilled;
  };

  std::mutex mutex_;
  std::map<std::string, Bucket, std::less<>> buckets_;
};

}  // namespace sac::outbox
