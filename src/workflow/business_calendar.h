// Días hábiles: Monday to Friday, minus the rest days of the Ley Federal del Trabajo (art. 74)
// and the days the municipality declares. Every rule lives in rules/calendario.toml with its
// source; days are computed for any year (Easter by algorithm), never typed year by year, except
// periods the Ayuntamiento declares for a given year (vacations), which carry their acuerdo.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "workflow/local_time.h"

namespace sac::workflow {

struct DayOff {
  Date date;
  std::string name;
  std::string source;
};

// One line of the calendar file.
struct CalendarRule {
  enum class Kind {
    kFixedDate,     // month/day every year (1 January)
    kNthWeekday,    // the nth (or last, n = -1) weekday of a month (third Monday of March)
    kEasterOffset,  // days from Easter Sunday (Holy Thursday = -3)
    kPeriod,        // a declared range of dates (a given year's vacations)
  };
  Kind kind = Kind::kFixedDate;
  std::string name;
  std::string source;
  unsigned month = 1;
  unsigned day = 1;
  int nth = 1;
  std::chrono::weekday weekday = std::chrono::Monday;
  int easter_offset = 0;
  int every_years = 1;  // 6: only in years ≡ since (mod 6)
  int since = 0;        // first year the rule applies
  Date from{};          // kPeriod
  Date to{};            // kPeriod, inclusive
};

class BusinessCalendar {
 public:
  explicit BusinessCalendar(std::vector<CalendarRule> rules);

  // Strict: unknown keys, bad dates and unknown kinds are errors naming the entry.
  static Result<BusinessCalendar> Load(const std::filesystem::path& file);

  // Rest days of a year, sorted (weekends not included).
  std::vector<DayOff> DaysOff(int year) const;

  bool IsBusinessDay(Date date) const;

  // The `count`-th business day after `date` (`date` itself does not count); before it when
  // `count` is negative.
  Date AddBusinessDays(Date date, int count) const;

  // Business days in (from, to]; negative when `to` is before `from`.
  int BusinessDaysBetween(Date from, Date to) const;

 private:
  bool IsDayOff(Date date) const;
  bool InTable(Date date) const { return date >= table_start_ && date < table_end_; }

  std::vector<CalendarRule> rules_;
  // Precomputed for kTableYears around today: business_before_[i] counts the business days in
  // [table_start_, table_start_ + i), so a span costs two lookups instead of a walk over every
  // day and rule (a meeting pack asks the age of thousands of boletas). Dates outside it walk.
  Date table_start_{};
  Date table_end_{};
  std::vector<int> business_before_;
};

// Easter Sunday (Gregorian), by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
Date EasterSunday(int year);

}  // namespace sac::workflow
