#include "scheduler/cron.h"

#include <charconv>
#include <chrono>
#include <optional>
#include <vector>

namespace sac::scheduler {
namespace {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

std::optional<int> Number(std::string_view text) {
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Sets the values of one field ("*/15", "1-5", "0,30") between `low` and `high` in `out`.
template <std::size_t N>
bool ReadField(std::string_view field, int low, int high, std::bitset<N>& out, bool weekday = false) {
  for (std::string_view item : Split(field, ',')) {
    int step = 1;
    if (const auto slash = item.find('/'); slash != std::string_view::npos) {
      const auto parsed = Number(item.substr(slash + 1));
      if (!parsed || *parsed < 1) return false;
      step = *parsed;
      item = item.substr(0, slash);
    }
    int from = low;
    int to = high;
    if (item != "*") {
      const auto dash = item.find('-');
      const auto first = Number(item.substr(0, dash));
      if (!first) return false;
      from = *first;
      to = from;
      if (dash != std::string_view::npos) {
        const auto last = Number(item.substr(dash + 1));
        if (!last) return false;
        to = *last;
      } else if (step != 1) {
        to = high;  // "5/15": from 5 on, every 15
      }
    }
    if (from < low || to > high || from > to) return false;
    for (int value = from; value <= to; value += step) {
      out.set(static_cast<std::size_t>(weekday && value == 7 ? 0 : value));
    }
  }
  return true;
}

}  // namespace

Result<CronSchedule> CronSchedule::Parse(std::string_view expression) {
  std::vector<std::string_view> fields;
  for (std::string_view part : Split(expression, ' ')) {
    if (!part.empty()) fields.push_back(part);
  }
  if (fields.size() != 5) {
    return MakeError(Errc::kInvalidArgument,
                     "'" + std::string(expression) + "': a schedule has five fields: minute hour "
                     "day-of-month month day-of-week");
  }
  CronSchedule schedule;
  schedule.expression_ = std::string(expression);
  const char* names[] = {"minute", "hour", "day-of-month", "month", "day-of-week"};
  const bool ok[] = {ReadField(fields[0], 0, 59, schedule.minutes_),
                     ReadField(fields[1], 0, 23, schedule.hours_),
                     ReadField(fields[2], 1, 31, schedule.days_),
                     ReadField(fields[3], 1, 12, schedule.months_),
                     ReadField(fields[4], 0, 7, schedule.weekdays_, true)};
  for (int i = 0; i < 5; ++i) {
    if (!ok[i]) {
      return MakeError(Errc::kInvalidArgument, "'" + std::string(expression) + "': the " +
                                                   names[i] + " field '" +
                                                   std::string(fields[static_cast<std::size_t>(i)]) +
                                                   "' is not valid");
    }
  }
  schedule.any_day_ = fields[2] == "*";
  schedule.any_weekday_ = fields[4] == "*";
  return schedule;
}

bool CronSchedule::Matches(int minute, int hour, int day, int month, int weekday) const {
  if (!minutes_.test(static_cast<std::size_t>(minute)) || !hours_.test(static_cast<std::size_t>(hour)) ||
      !months_.test(static_cast<std::size_t>(month))) {
    return false;
  }
  const bool day_ok = days_.test(static_cast<std::size_t>(day));
  const bool weekday_ok = weekdays_.test(static_cast<std::size_t>(weekday));
  if (any_day_ && any_weekday_) return true;
  if (any_day_) return weekday_ok;
  if (any_weekday_) return day_ok;
  return day_ok || weekday_ok;
}

TimePoint CronSchedule::NextAfter(TimePoint after, const workflow::LocalTime& local) const {
  using namespace std::chrono;
  // Walk local days, then the matching minutes of each; a schedule that can never match (30
  // February) gives up after eight years.
  workflow::Date date = local.LocalDate(after);
  for (int i = 0; i < 366 * 8; ++i, date += days(1)) {
    const year_month_day ymd(date);
    const int day_of_week = static_cast<int>(std::chrono::weekday(date).c_encoding());
    const int day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    const int month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    const TimePoint midnight = local.StartOfDay(date);
    for (int hour = 0; hour < 24; ++hour) {
      for (int minute = 0; minute < 60; ++minute) {
        if (!Matches(minute, hour, day, month, day_of_week)) continue;
        // Local wall time → instant. Mazatlán has had no DST since 2022; the offset of the day's
        // start holds for the whole day.
        const TimePoint candidate = midnight + hours(hour) + minutes(minute);
        if (candidate > after) return candidate;
      }
    }
  }
  return TimePoint::max();
}

}  // namespace sac::scheduler
