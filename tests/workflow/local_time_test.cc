#include "workflow/local_time.h"

#include <gtest/gtest.h>

namespace sac::workflow {
namespace {

using namespace std::chrono;

TimePoint Utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  return TimePoint(sys_days(year_month_day{year{y}, month{mo}, day{d}}) + hours{h} + minutes{mi});
}
Date D(int y, unsigned m, unsigned d) { return sys_days(year_month_day{year{y}, month{m}, day{d}}); }

LocalTime Mazatlan() {
  auto local = LocalTime::Load("America/Mazatlan");
  EXPECT_TRUE(local) << local.error().message;
  return std::move(*local);
}

TEST(LocalTimeTest, MazatlanIsUtcMinusSevenSince2022) {
  const LocalTime local = Mazatlan();
  EXPECT_EQ(local.OffsetAt(Utc(2026, 11, 30, 12)), hours{-7});
  EXPECT_EQ(local.OffsetAt(Utc(2026, 6, 30, 12)), hours{-7}) << "no summer time any more";
  EXPECT_EQ(local.OffsetAt(Utc(2040, 7, 1, 0)), hours{-7}) << "beyond the table: the footer";
}

TEST(LocalTimeTest, KnowsTheDaylightSavingHistory) {
  const LocalTime local = Mazatlan();
  // 2022: DST from 3 April 02:00 MST (09:00 UTC) to 30 October 02:00 MDT (08:00 UTC).
  EXPECT_EQ(local.OffsetAt(Utc(2022, 4, 3, 8, 59)), hours{-7});
  EXPECT_EQ(local.OffsetAt(Utc(2022, 4, 3, 9, 0)), hours{-6});
  EXPECT_EQ(local.OffsetAt(Utc(2022, 10, 30, 7, 59)), hours{-6});
  EXPECT_EQ(local.OffsetAt(Utc(2022, 10, 30, 8, 0)), hours{-7});
  EXPECT_EQ(local.OffsetAt(Utc(2021, 7, 1, 12)), hours{-6});
}

TEST(LocalTimeTest, LocalDatesNearMidnight) {
  const LocalTime local = Mazatlan();
  EXPECT_EQ(local.LocalDate(Utc(2027, 1, 1, 6, 59)), D(2026, 12, 31)) << "23:59 in Mazatlán";
  EXPECT_EQ(local.LocalDate(Utc(2027, 1, 1, 7, 0)), D(2027, 1, 1)) << "00:00 in Mazatlán";
  EXPECT_EQ(local.LocalDate(Utc(2021, 7, 1, 5, 59)), D(2021, 6, 30)) << "23:59 MDT";
  EXPECT_EQ(local.LocalDate(Utc(2021, 7, 1, 6, 0)), D(2021, 7, 1));
}

TEST(LocalTimeTest, StartOfALocalDay) {
  const LocalTime local = Mazatlan();
  EXPECT_EQ(local.StartOfDay(D(2026, 12, 15)), Utc(2026, 12, 15, 7));
  EXPECT_EQ(local.StartOfDay(D(2021, 7, 1)), Utc(2021, 7, 1, 6));   // summer time then
  EXPECT_EQ(local.StartOfDay(D(2022, 4, 3)), Utc(2022, 4, 3, 7));   // the switch was at 02:00
  EXPECT_EQ(local.StartOfDay(D(2022, 10, 31)), Utc(2022, 10, 31, 7));
}

TEST(LocalTimeTest, RefusesUnknownZones) {
  EXPECT_FALSE(LocalTime::Load("America/Atlantis"));
  EXPECT_FALSE(LocalTime::Load("../../etc/passwd"));
}

}  // namespace
}  // namespace sac::workflow
