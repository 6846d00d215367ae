#include "http/request_quota.h"

#include <gtest/gtest.h>

namespace sac::http {
namespace {

using namespace std::chrono_literals;

TEST(RequestQuotaTest, AMinutesWorthAtOnceThenTheSteadyRatePerKey) {
  RequestQuota quota(5);
  const TimePoint start = TimePoint() + 1000h;
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(quota.Take("token-1", start)) << i;
  const auto wait = quota.Take("token-1", start);
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 12s) << "one request every 12 s at 5 a minute";
  EXPECT_TRUE(quota.Take("token-1", start + 11s)) << "refused tries do not count";
  EXPECT_FALSE(quota.Take("token-1", start + 12s));
  EXPECT_TRUE(quota.Take("token-1", start + 12s));
  EXPECT_FALSE(quota.Take("token-2", start)) << "each key has its own";
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(quota.Take("token-1", start + 2min)) << i;
  EXPECT_TRUE(quota.Take("token-1", start + 2min)) << "never more than a minute's worth at once";
}

TEST(RequestQuotaTest, ManyMadeUpKeysAreForgottenOnceTheirMinutePassed) {
  RequestQuota quota(1);
  const TimePoint start = TimePoint() + 1000h;
  for (int i = 0; i < 10000; ++i) quota.Take("key-" + std::to_string(i), start);
  EXPECT_EQ(quota.tracked_keys(), 10000u);
  EXPECT_TRUE(quota.Take("key-1", start + 30s)) << "still counted within its minute";
  EXPECT_EQ(quota.tracked_keys(), 10000u);
  EXPECT_FALSE(quota.Take("key-2", start + 2min)) << "full again";
  EXPECT_EQ(quota.tracked_keys(), 1u) << "the others, full again too, were dropped";
}

}  // namespace
}  // namespace sac::http
