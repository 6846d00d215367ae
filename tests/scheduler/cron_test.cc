#include "scheduler/cron.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/time_format.h"

namespace sac::scheduler {
namespace {

using ::testing::HasSubstr;

TimePoint Utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  using namespace std::chrono;
  return TimePoint(sys_days(year_month_day{year{y}, month{mo}, day{d}}) + hours{h} + minutes{mi});
}

class CronTest : public ::testing::Test {
 protected:
  std::string Next(const char* expression, TimePoint after) {
    auto schedule = CronSchedule::Parse(expression);
    EXPECT_TRUE(schedule) << schedule.error().message;
    return FormatUtc(schedule->NextAfter(after, local_));
  }
  workflow::LocalTime local_ = *workflow::LocalTime::Load("America/Mazatlan");
};

TEST_F(CronTest, ReadsSchedulesInMazatlanTime) {
  // 09:00 in Mazatlán is 16:00 UTC (UTC-7).
  EXPECT_EQ(Next("0 9 * * *", Utc(2026, 3, 10, 12)), "2026-03-10T16:00:00.000000Z");
  EXPECT_EQ(Next("0 9 * * *", Utc(2026, 3, 10, 16)), "2026-03-11T16:00:00.000000Z") << "strictly after";
  // The monthly survey: 10:00 on the 1st.
  EXPECT_EQ(Next("0 10 1 * *", Utc(2026, 3, 10, 12)), "2026-04-01T17:00:00.000000Z");
  // Every 15 minutes.
  EXPECT_EQ(Next("*/15 * * * *", Utc(2026, 3, 10, 12, 7)), "2026-03-10T12:15:00.000000Z");
  // Weekdays at 08:30: Friday 13 March 2026 → Monday 16.
  EXPECT_EQ(Next("30 8 * * 1-5", Utc(2026, 3, 13, 16)), "2026-03-16T15:30:00.000000Z");
  // Sunday as 7.
  EXPECT_EQ(Next("0 12 * * 7", Utc(2026, 3, 10, 12)), "2026-03-15T19:00:00.000000Z");
  // Either day field matches when both are given: the 1st or any Monday.
  EXPECT_EQ(Next("0 0 1 * 1", Utc(2026, 3, 2, 12)), "2026-03-09T07:00:00.000000Z");
  // Year end, local: 23:30 on 31 December in Mazatlán is already 1 January in UTC.
  EXPECT_EQ(Next("30 23 31 12 *", Utc(2026, 6, 1, 0)), "2027-01-01T06:30:00.000000Z");
}

TEST_F(CronTest, RefusesMalformedSchedulesNamingTheField) {
  for (const auto& [expression, field] :
       std::vector<std::pair<const char*, const char*>>{{"0 9 * *", "five fields"},
                                                        {"60 9 * * *", "minute"},
                                                        {"0 24 * * *", "hour"},
                                                        {"0 9 0 * *", "day-of-month"},
                                                        {"0 9 * 13 *", "month"},
                                                        {"0 9 * * 8", "day-of-week"},
                                                        {"*/0 9 * * *", "minute"},
                                                        {"5-1 9 * * *", "minute"},
                                                        {"a 9 * * *", "minute"}}) {
    auto schedule = CronSchedule::Parse(expression);
    ASSERT_FALSE(schedule) << expression;
    EXPECT_THAT(schedule.error().message, HasSubstr(field)) << expression;
  }
}

TEST_F(CronTest, AScheduleThatNeverMatchesNeverRuns) {
  EXPECT_EQ(CronSchedule::Parse("0 0 30 2 *")->NextAfter(Utc(2026, 1, 1, 0), local_), TimePoint::max());
}

}  // namespace
}  // namespace sac::scheduler
