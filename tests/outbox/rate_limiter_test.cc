// The per-channel token bucket: a second's worth at once, then the steady rate, waiters in turn.
#include "outbox/rate_limiter.h"

#include <gtest/gtest.h>

namespace sac::outbox {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiterTest, LetsASecondsWorthGoThenSpacesTheRest) {
  RateLimiter limiter({{"whatsapp", 10}});
  for (int i = 0; i < 10; ++i) EXPECT_EQ(limiter.Reserve("whatsapp").count(), 0) << i;
  const auto eleventh = limiter.Reserve("whatsapp");
  const auto twelfth = limiter.Reserve("whatsapp");
  EXPECT_GT(eleventh, 50ms);
  EXPECT_LE(eleventh, 100ms);
  EXPECT_GT(twelfth, eleventh + 50ms) << "waiting callers queue";
  EXPECT_EQ(limiter.Reserve("telegram").count(), 0) << "a channel not named is not limited";
}

}  // namespace
}  // namespace sac::outbox
