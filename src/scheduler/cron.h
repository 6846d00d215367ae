// When a job runs: the classic five cron fields (minute hour day-of-month month day-of-week) read
// in Mazatlán local time, so "0 9 1 * *" is 09:00 on the 1st of each month where the office is,
// whatever the server's zone. Fields take *, numbers, lists (1,15), ranges (1-5) and steps (*/10,
// 8-18/2); day-of-week is 0-7 with 0 and 7 Sunday. As in cron, when both day fields are
// restricted a day matching either one runs.
#pragma once

#include <bitset>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "workflow/local_time.h"

namespace sac::scheduler {

class CronSchedule {
 public:
  // kInvalidArgument, naming the field, when the expression is not five valid fields.
  static Result<CronSchedule> Parse(std::string_view expression);

  // The first whole minute strictly after `after` that matches, in `local` time.
  TimePoint NextAfter(TimePoint after, const workflow::LocalTime& local) const;

  const std::string& expression() const { return expression_; }

 private:
  bool Matches(int minute, int hour, int day, int month, int weekday) const;

  std::string expression_;
  std::bitset<60> minutes_;
  std::bitset<24> hours_;
  std::bitset<32> days_;     // 1-31
  std::bitset<13> months_;   // 1-12
  std::bitset<7> weekdays_;  // 0-6, Sunday 0
  bool any_day_ = true;      // day-of-month was "*"
  bool any_weekday_ = true;  // day-of-week was "*"
};

}  // namespace sac::scheduler
