#include "workflow/sla.h"

#include <gtest/gtest.h>

#include "tests/support/testdata.h"

namespace sac::workflow {
namespace {

using namespace std::chrono;

TimePoint Utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  return TimePoint(sys_days(year_month_day{year{y}, month{mo}, day{d}}) + hours{h} + minutes{mi});
}

class SlaTest : public ::testing::Test {
 protected:
  SlaTest()
      : calendar_(*BusinessCalendar::Load(testing::SourceDir() / "rules/calendario.toml")),
        local_(*LocalTime::Load("America/Mazatlan")),
        sla_(calendar_, local_) {}
  BusinessCalendar calendar_;
  LocalTime local_;
  SlaClock sla_;
};

TEST_F(SlaTest, TenBusinessDaysEndAtLocalMidnight) {
  // Canalizada Monday 30 Nov 2026 at 10:00 in Mazatlán (17:00 UTC): due at the end of Mon 14 Dec.
  EXPECT_EQ(sla_.DueAt(Utc(2026, 11, 30, 17), 10), Utc(2026, 12, 15, 7));
}

TEST_F(SlaTest, LateEveningCountsAsThatLocalDay) {
  // 23:30 on Friday 27 Nov in Mazatlán is already Saturday in UTC; the local date decides.
  EXPECT_EQ(sla_.DueAt(Utc(2026, 11, 28, 6, 30), 1), Utc(2026, 12, 1, 7));  // Monday 30 counts
}

// Bad input #39: SAC's clock 10 minutes off either way. Deadlines are whole business days ending
// at local midnight, so the skew changes nothing — except for a boleta canalizada in the ten
// minutes around midnight, which a skewed clock puts on the neighbouring day: its deadline moves
// by that one business day, as it would if it had been canalizada ten minutes earlier or later.
TEST_F(SlaTest, AClockTenMinutesOffChangesNoDeadlineAwayFromMidnight) {
  for (const TimePoint canalizada : {Utc(2026, 11, 30, 17), Utc(2026, 12, 2, 20, 45),
                                     Utc(2026, 12, 4, 6, 40)}) {  // 10:00, 13:45, Thu 23:40
    const TimePoint due = sla_.DueAt(canalizada, 10);
    EXPECT_EQ(sla_.DueAt(canalizada + minutes(10), 10), due);
    EXPECT_EQ(sla_.DueAt(canalizada - minutes(10), 10), due);
    EXPECT_EQ(sla_.StandingAt(due, canalizada + minutes(10)), Standing::kOnTime);
  }
  // 23:55 on Friday 4 Dec in Mazatlán: ten minutes fast, it is Saturday 00:05, and Monday is the
  // first day counted either way — the weekend absorbs it.
  EXPECT_EQ(sla_.DueAt(Utc(2026, 12, 5, 6, 55) + minutes(10), 10),
            sla_.DueAt(Utc(2026, 12, 5, 6, 55), 10));
  // 23:55 on Monday 7 Dec: ten minutes fast, it is Tuesday, which then does not count.
  EXPECT_EQ(sla_.DueAt(Utc(2026, 12, 8, 6, 55) + minutes(10), 10),
            sla_.DueAt(Utc(2026, 12, 8, 6, 55), 11));
}

TEST_F(SlaTest, AlumbradoGetsFifteen) {
  EXPECT_EQ(sla_.DueAt(Utc(2026, 11, 30, 17), 15), Utc(2026, 12, 22, 7));  // end of Mon 21 Dec
}

TEST_F(SlaTest, StandingMovesFromOnTimeToDueSoonToOverdue) {
  const TimePoint due = sla_.DueAt(Utc(2026, 11, 30, 17), 10);  // end of Mon 14 Dec
  EXPECT_EQ(sla_.StandingAt(due, Utc(2026, 12, 8, 18)), Standing::kOnTime);    // Tue 8
  EXPECT_EQ(sla_.StandingAt(due, Utc(2026, 12, 9, 18)), Standing::kOnTime);    // Wed 9: 3 left
  EXPECT_EQ(sla_.StandingAt(due, Utc(2026, 12, 10, 18)), Standing::kDueSoon);  // Thu 10: 2 left
  EXPECT_EQ(sla_.StandingAt(due, Utc(2026, 12, 14, 23)), Standing::kDueSoon);  // the last day
  EXPECT_EQ(sla_.StandingAt(due, Utc(2026, 12, 15, 7)), Standing::kOverdue);   // 00:00 Tue 15
}

TEST_F(SlaTest, UnreadForMoreThanOneBusinessDay) {
  // On Tuesday 1 Dec 2026, unread since before Monday 30 Nov 00:00 means more than a business day.
  EXPECT_EQ(sla_.UnreadLimit(Utc(2026, 12, 1, 18)), Utc(2026, 11, 30, 7));
  // On Monday 30 Nov, the business day before is Friday 27.
  EXPECT_EQ(sla_.UnreadLimit(Utc(2026, 11, 30, 18)), Utc(2026, 11, 27, 7));
}

TEST_F(SlaTest, CountsBusinessDaysSince) {
  EXPECT_EQ(sla_.BusinessDaysSince(Utc(2026, 11, 27, 17), Utc(2026, 11, 30, 17)), 1);  // Fri→Mon
  EXPECT_EQ(sla_.BusinessDaysSince(Utc(2026, 11, 30, 8), Utc(2026, 11, 30, 23)), 0);
}

}  // namespace
}  // namespace sac::workflow
