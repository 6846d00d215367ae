#include "workflow/business_calendar.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "tests/support/testdata.h"

namespace sac::workflow {
namespace {

using namespace std::chrono;
using ::testing::HasSubstr;

Date D(int y, unsigned m, unsigned d) { return sys_days(year_month_day{year{y}, month{m}, day{d}}); }

std::string Format(Date date) {
  const year_month_day ymd{date};
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02u-%02u", static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buffer;
}

BusinessCalendar Mazatlan() {
  auto calendar = BusinessCalendar::Load(testing::SourceDir() / "rules/calendario.toml");
  EXPECT_TRUE(calendar) << calendar.error().message;
  return std::move(*calendar);
}

TEST(BusinessCalendarTest, EasterSundays) {
  EXPECT_EQ(EasterSunday(2024), D(2024, 3, 31));
  EXPECT_EQ(EasterSunday(2025), D(2025, 4, 20));
  EXPECT_EQ(EasterSunday(2026), D(2026, 4, 5));
  EXPECT_EQ(EasterSunday(2027), D(2027, 3, 28));
  EXPECT_EQ(EasterSunday(2038), D(2038, 4, 25));  // the latest possible date
  EXPECT_EQ(EasterSunday(2285), D(2285, 3, 22));  // the earliest
}

// Expected dates worked out independently from the LFT text and published calendars.
TEST(BusinessCalendarTest, EveryRestDayFrom2024To2031) {
  const std::map<int, std::string> expected = {
      {2024, "01-01 02-05 03-18 03-28 03-29 05-01 06-02 09-16 10-01 11-02 11-18 12-12 12-25"},
      {2025, "01-01 02-03 03-17 04-17 04-18 05-01 09-16 11-02 11-17 12-12 12-25"},
      {2026, "01-01 02-02 03-16 04-02 04-03 05-01 09-16 11-02 11-16 12-12 12-25"},
      {2027, "01-01 02-01 03-15 03-25 03-26 05-01 06-06 09-16 11-02 11-15 12-12 12-25"},
      {2028, "01-01 02-07 03-20 04-13 04-14 05-01 09-16 11-02 11-20 12-12 12-25"},
      {2029, "01-01 02-05 03-19 03-29 03-30 05-01 09-16 11-02 11-19 12-12 12-25"},
      {2030, "01-01 02-04 03-18 04-18 04-19 05-01 06-02 09-16 10-01 11-02 11-18 12-12 12-25"},
      {2031, "01-01 02-03 03-17 04-10 04-11 05-01 09-16 11-02 11-17 12-12 12-25"},
  };
  const BusinessCalendar calendar = Mazatlan();
  for (const auto& [y, dates] : expected) {
    SCOPED_TRACE(y);
    std::string listed;
    for (const DayOff& day : calendar.DaysOff(y)) {
      listed += (listed.empty() ? "" : " ") + Format(day.date);
      EXPECT_FALSE(day.source.empty());
      EXPECT_FALSE(calendar.IsBusinessDay(day.date));
    }
    EXPECT_EQ(listed, dates);
  }
}

TEST(BusinessCalendarTest, WeekendsAreNeverBusinessDays) {
  const BusinessCalendar calendar = Mazatlan();
  EXPECT_FALSE(calendar.IsBusinessDay(D(2026, 11, 28)));  // Saturday
  EXPECT_FALSE(calendar.IsBusinessDay(D(2026, 11, 29)));  // Sunday
  EXPECT_TRUE(calendar.IsBusinessDay(D(2026, 11, 30)));   // Monday
}

TEST(BusinessCalendarTest, AddsBusinessDaysOverWeekendsAndHolidays) {
  const BusinessCalendar calendar = Mazatlan();
  // Friday 13 Nov 2026 + 1: Monday 16 is the Revolución holiday, so Tuesday 17.
  EXPECT_EQ(calendar.AddBusinessDays(D(2026, 11, 13), 1), D(2026, 11, 17));
  // Ten business days from Monday 30 Nov 2026: 1-4, 7-11 (12 Dec is a Saturday), 14 Dec.
  EXPECT_EQ(calendar.AddBusinessDays(D(2026, 11, 30), 10), D(2026, 12, 14));
  // Across Christmas and New Year: from Tue 22 Dec 2026, 10 business days (25 Dec, 1 Jan off).
  EXPECT_EQ(calendar.AddBusinessDays(D(2026, 12, 22), 10), D(2027, 1, 7));
  // Holy Week 2026: from Tue 31 Mar, Wed 1 Apr counts, Thu 2 and Fri 3 do not.
  EXPECT_EQ(calendar.AddBusinessDays(D(2026, 3, 31), 2), D(2026, 4, 6));
  EXPECT_EQ(calendar.AddBusinessDays(D(2026, 3, 31), 0), D(2026, 3, 31));
  // Backwards: the business day before Tuesday 17 Nov 2026 is Friday 13 (Monday 16 is off).
  EXPECT_EQ(calendar.AddBusinessDays(D(2026, 11, 17), -1), D(2026, 11, 13));
}

TEST(BusinessCalendarTest, CountsBusinessDaysBetweenDates) {
  const BusinessCalendar calendar = Mazatlan();
  EXPECT_EQ(calendar.BusinessDaysBetween(D(2026, 11, 30), D(2026, 12, 14)), 10);
  EXPECT_EQ(calendar.BusinessDaysBetween(D(2026, 12, 14), D(2026, 11, 30)), -10);
  EXPECT_EQ(calendar.BusinessDaysBetween(D(2026, 11, 27), D(2026, 11, 29)), 0);
  for (int n : {1, 5, 10, 15, 30}) {
    const Date start = D(2026, 12, 20);
    EXPECT_EQ(calendar.BusinessDaysBetween(start, calendar.AddBusinessDays(start, n)), n);
  }
}

// Spans are counted from a precomputed table (2000–2060) and by walking outside it: both must say
// what the rules say, day by day, including across the table's edges.
TEST(BusinessCalendarTest, SpansAgreeWithTheRulesDayByDayInsideAndOutsideTheTable) {
  const BusinessCalendar calendar = Mazatlan();
  const auto reference = [&](Date from, Date to) {
    int count = 0;
    for (Date d = from + days{1}; d <= to; d += days{1}) {
      const weekday wd{d};
      if (wd == Saturday || wd == Sunday) continue;
      const auto off = calendar.DaysOff(static_cast<int>(year_month_day{d}.year()));
      if (std::none_of(off.begin(), off.end(), [&](const DayOff& o) { return o.date == d; })) ++count;
    }
    return count;
  };
  const std::pair<Date, Date> spans[] = {
      {D(2024, 1, 1), D(2024, 12, 31)},  {D(2019, 12, 20), D(2000, 1, 10)},
      {D(1999, 12, 1), D(2000, 2, 1)},   {D(2060, 12, 1), D(2061, 2, 1)},
      {D(1998, 3, 1), D(1998, 5, 1)},    {D(2026, 11, 30), D(2026, 11, 30)},
      {D(2030, 3, 15), D(2031, 4, 20)}};
  for (const auto& [from, to] : spans) {
    SCOPED_TRACE(FormatDate(from) + " → " + FormatDate(to));
    const int expected = from <= to ? reference(from, to) : -reference(to, from);
    EXPECT_EQ(calendar.BusinessDaysBetween(from, to), expected);
  }
  for (Date d = D(2059, 12, 15); d <= D(2061, 1, 15); d += days{1}) {
    const auto off = calendar.DaysOff(static_cast<int>(year_month_day{d}.year()));
    const weekday wd{d};
    const bool business = wd != Saturday && wd != Sunday &&
                          std::none_of(off.begin(), off.end(), [&](const DayOff& o) { return o.date == d; });
    EXPECT_EQ(calendar.IsBusinessDay(d), business) << FormatDate(d);
  }
}

TEST(BusinessCalendarTest, DeclaredPeriodsAreDaysOff) {
  BusinessCalendar calendar({CalendarRule{CalendarRule::Kind::kPeriod, "Vacaciones", "acuerdo X",
                                          1, 1, 1, Monday, 0, 1, 0, D(2026, 12, 21),
                                          D(2027, 1, 1)}});
  EXPECT_FALSE(calendar.IsBusinessDay(D(2026, 12, 21)));
  EXPECT_FALSE(calendar.IsBusinessDay(D(2027, 1, 1)));
  EXPECT_TRUE(calendar.IsBusinessDay(D(2027, 1, 4)));
  EXPECT_EQ(calendar.DaysOff(2026).size(), 11u);
  EXPECT_EQ(calendar.AddBusinessDays(D(2026, 12, 18), 1), D(2027, 1, 4));
}

std::filesystem::path Write(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    (std::string("calendario_") +
                     ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
  std::ofstream(path) << text;
  return path;
}

TEST(BusinessCalendarTest, RefusesBadRulesNamingTheEntry) {
  const std::pair<const char*, const char*> cases[] = {
      {"[[dia_inhabil]]\nnombre = \"x\"\ntipo = \"fecha\"\nmes = 2\ndia = 30\nfuente = \"f\"\n",
       "not a date"},
      {"[[dia_inhabil]]\nnombre = \"x\"\ntipo = \"luna\"\nfuente = \"f\"\n", "tipo must be"},
      {"[[dia_inhabil]]\nnombre = \"x\"\ntipo = \"fecha\"\nmes = 1\ndia = 1\n", "fuente"},
      {"[[dia_inhabil]]\nnombre = \"x\"\ntipo = \"fecha\"\nmes = 1\ndia = 1\nfuente = \"f\"\n"
       "cada_anios = 6\n",
       "desde_anio"},
      {"[[dia_inhabil]]\nnombre = \"x\"\ntipo = \"periodo\"\ndesde = \"2026-12-21\"\n"
       "hasta = \"2026-02-01\"\nfuente = \"f\"\n",
       "desde/hasta"},
      {"[[dia_inhabil]]\nnombre = \"x\"\ntipo = \"fecha\"\nmes = 1\ndia = 1\nfuente = \"f\"\n"
       "color = 1\n",
       "unknown key 'color'"},
  };
  for (const auto& [text, message] : cases) {
    SCOPED_TRACE(message);
    auto calendar = BusinessCalendar::Load(Write(text));
    ASSERT_FALSE(calendar);
    EXPECT_THAT(calendar.error().message, HasSubstr("entry #1")) << calendar.error().message;
    EXPECT_THAT(calendar.error().message, HasSubstr(message));
  }
}

}  // namespace
}  // namespace sac::workflow
