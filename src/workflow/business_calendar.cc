#include "workflow/business_calendar.h"

#include <toml++/toml.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <set>

namespace sac::workflow {
namespace {

using namespace std::chrono;

const std::map<std::string, weekday, std::less<>>& Weekdays() {
  static const std::map<std::string, weekday, std::less<>> names = {
      {"lunes", Monday},  {"martes", Tuesday}, {"miercoles", Wednesday}, {"miércoles", Wednesday},
      {"jueves", Thursday}, {"viernes", Friday}, {"sabado", Saturday},    {"sábado", Saturday},
      {"domingo", Sunday}};
  return names;
}

bool AppliesIn(const CalendarRule& rule, int year) {
  if (year < rule.since) {
    return false;
  }
  return rule.every_years <= 1 || (year - rule.since) % rule.every_years == 0;
}

std::optional<Date> DateOf(const CalendarRule& rule, int y) {
  const year yr{y};
  switch (rule.kind) {
    case CalendarRule::Kind::kFixedDate: {
      const year_month_day ymd{yr, month{rule.month}, day{rule.day}};
      return ymd.ok() ? std::optional<Date>(sys_days(ymd)) : std::nullopt;
    }
    case CalendarRule::Kind::kNthWeekday: {
      if (rule.nth == -1) {
        return sys_days(year_month_weekday_last{yr, month{rule.month}, weekday_last{rule.weekday}});
      }
      const year_month_weekday ymw{yr, month{rule.month},
                                   weekday_indexed{rule.weekday, static_cast<unsigned>(rule.nth)}};
      return ymw.ok() ? std::optional<Date>(sys_days(ymw)) : std::nullopt;
    }
    case CalendarRule::Kind::kEasterOffset:
      return EasterSunday(y) + days{rule.easter_offset};
    case CalendarRule::Kind::kPeriod:
      return std::nullopt;  // handled as a range
  }
  return std::nullopt;
}

int YearOf(Date date) { return static_cast<int>(year_month_day{date}.year()); }

Error Bad(const std::filesystem::path& file, std::size_t index, const std::string& what) {
  return MakeError(Errc::kInvalidArgument,
                   file.string() + ": entry #" + std::to_string(index + 1) + ": " + what);
}

}  // namespace

Date EasterSunday(int y) {
  const int a = y % 19;
  const int b = y / 100;
  const int c = y % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month_number = (h + l - 7 * m + 114) / 31;
  const int day_number = ((h + l - 7 * m + 114) % 31) + 1;
  return sys_days(year_month_day{year{y}, month{static_cast<unsigned>(month_number)},
                                 day{static_cast<unsigned>(day_number)}});
}

BusinessCalendar::BusinessCalendar(std::vector<CalendarRule> rules) : rules_(std::move(rules)) {
  constexpr int kFirstYear = 2000;
  constexpr int kLastYear = 2060;
  table_start_ = sys_days(year{kFirstYear} / January / 1);
  table_end_ = sys_days(year{kLastYear + 1} / January / 1);
  const auto span = static_cast<std::size_t>((table_end_ - table_start_).count());
  std::vector<bool> off(span, false);
  for (int y = kFirstYear; y <= kLastYear; ++y) {
    for (const DayOff& day : DaysOff(y)) {
      if (InTable(day.date)) off[static_cast<std::size_t>((day.date - table_start_).count())] = true;
    }
  }
  business_before_.assign(span + 1, 0);
  for (std::size_t i = 0; i < span; ++i) {
    const weekday wd{table_start_ + days{static_cast<int>(i)}};
    const bool business = wd != Saturday && wd != Sunday && !off[i];
    business_before_[i + 1] = business_before_[i] + (business ? 1 : 0);
  }
}

std::vector<DayOff> BusinessCalendar::DaysOff(int y) const {
  std::vector<DayOff> days_off;
  for (const CalendarRule& rule : rules_) {
    if (rule.kind == CalendarRule::Kind::kPeriod) {
      for (Date d = rule.from; d <= rule.to; d += days{1}) {
        if (YearOf(d) == y) {
          days_off.push_back({d, rule.name, rule.source});
        }
      }
      continue;
    }
    if (!AppliesIn(rule, y)) {
      continue;
    }
    if (auto date = DateOf(rule, y)) {
      days_off.push_back({*date, rule.name, rule.source});
    }
  }
  std::sort(days_off.begin(), days_off.end(),
            [](const DayOff& a, const DayOff& b) { return a.date < b.date; });
  return days_off;
}

bool BusinessCalendar::IsDayOff(Date date) const {
  const int y = YearOf(date);
  for (const CalendarRule& rule : rules_) {
    if (rule.kind == CalendarRule::Kind::kPeriod) {
      if (date >= rule.from && date <= rule.to) {
        return true;
      }
    } else if (AppliesIn(rule, y) && DateOf(rule, y) == date) {
      return true;
    }
  }
  return false;
}

bool BusinessCalendar::IsBusinessDay(Date date) const {
  if (InTable(date)) {
    const auto i = static_cast<std::size_t>((date - table_start_).count());
    return business_before_[i + 1] != business_before_[i];
  }
  const weekday wd{date};
  return wd != Saturday && wd != Sunday && !IsDayOff(date);
}

Date BusinessCalendar::AddBusinessDays(Date date, int count) const {
  const days step{count < 0 ? -1 : 1};
  for (int left = count < 0 ? -count : count; left > 0;) {
    date += step;
    if (IsBusinessDay(date)) {
      --left;
    }
  }
  return date;
}

int BusinessCalendar::BusinessDaysBetween(Date from, Date to) const {
  if (to < from) {
    return -BusinessDaysBetween(to, from);
  }
  if (InTable(from) && InTable(to)) {
    // (from, to] = [from + 1, to + 1); to + 1 may be the table's end, which has its own entry.
    const auto begin = static_cast<std::size_t>((from - table_start_).count()) + 1;
    const auto end = static_cast<std::size_t>((to - table_start_).count()) + 1;
    return business_before_[end] - business_before_[begin];
  }
  int count = 0;
  for (Date d = from + days{1}; d <= to; d += days{1}) {
    if (IsBusinessDay(d)) {
      ++count;
    }
  }
  return count;
}

Result<BusinessCalendar> BusinessCalendar::Load(const std::filesystem::path& file) {
  toml::table root;
  try {
    root = toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    return MakeError(Errc::kInvalidArgument, file.string() + ":" +
                                                 std::to_string(error.source().begin.line) +
                                                 ": " + std::string(error.description()));
  }
  for (const auto& [key, node] : root) {
    if (key.str() != "dia_inhabil") {
      return MakeError(Errc::kInvalidArgument,
                       file.string() + ": unknown key '" + std::string(key.str()) + "'");
    }
  }
  const toml::array* entries = root["dia_inhabil"].as_array();
  if (entries == nullptr) {
    return MakeError(Errc::kInvalidArgument, file.string() + ": no [[dia_inhabil]] entries");
  }
  const std::set<std::string, std::less<>> known = {
      "nombre", "tipo", "mes", "dia", "semana", "dia_semana", "desde_pascua",
      "cada_anios", "desde_anio", "desde", "hasta", "fuente"};
  std::vector<CalendarRule> rules;
  for (std::size_t i = 0; i < entries->size(); ++i) {
    const toml::table* entry = entries->get(i)->as_table();
    if (entry == nullptr) {
      return Bad(file, i, "expected a table");
    }
    for (const auto& [key, node] : *entry) {
      if (!known.contains(key.str())) {
        return Bad(file, i, "unknown key '" + std::string(key.str()) + "'");
      }
    }
    CalendarRule rule;
    rule.name = (*entry)["nombre"].value_or(std::string());
    rule.source = (*entry)["fuente"].value_or(std::string());
    const std::string kind = (*entry)["tipo"].value_or(std::string());
    if (rule.name.empty() || rule.source.empty()) {
      return Bad(file, i, "nombre and fuente are required");
    }
    rule.every_years = static_cast<int>((*entry)["cada_anios"].value_or(std::int64_t{1}));
    rule.since = static_cast<int>((*entry)["desde_anio"].value_or(std::int64_t{0}));
    if (rule.every_years < 1 || (rule.every_years > 1 && rule.since == 0)) {
      return Bad(file, i, "cada_anios needs desde_anio (" + rule.name + ")");
    }
    if (kind == "fecha") {
      rule.kind = CalendarRule::Kind::kFixedDate;
      rule.month = static_cast<unsigned>((*entry)["mes"].value_or(std::int64_t{0}));
      rule.day = static_cast<unsigned>((*entry)["dia"].value_or(std::int64_t{0}));
      if (!month{rule.month}.ok() || !year_month_day{year{2024}, month{rule.month}, day{rule.day}}.ok()) {
        return Bad(file, i, "mes/dia is not a date (" + rule.name + ")");
      }
    } else if (kind == "dia_de_la_semana") {
      rule.kind = CalendarRule::Kind::kNthWeekday;
      rule.month = static_cast<unsigned>((*entry)["mes"].value_or(std::int64_t{0}));
      rule.nth = static_cast<int>((*entry)["semana"].value_or(std::int64_t{0}));
      const auto weekday_name = (*entry)["dia_semana"].value_or(std::string());
      const auto found = Weekdays().find(weekday_name);
      if (!month{rule.month}.ok() || found == Weekdays().end() ||
          !((rule.nth >= 1 && rule.nth <= 5) || rule.nth == -1)) {
        return Bad(file, i, "needs mes, semana (1-5, or -1 for the last) and dia_semana (" +
                                rule.name + ")");
      }
      rule.weekday = found->second;
    } else if (kind == "pascua") {
      rule.kind = CalendarRule::Kind::kEasterOffset;
      const auto offset = (*entry)["desde_pascua"].value<std::int64_t>();
      if (!offset || *offset < -60 || *offset > 60) {
        return Bad(file, i, "desde_pascua must be -60 to 60 days (" + rule.name + ")");
      }
      rule.easter_offset = static_cast<int>(*offset);
    } else if (kind == "periodo") {
      rule.kind = CalendarRule::Kind::kPeriod;
      const auto from = ParseDate((*entry)["desde"].value_or(std::string()));
      const auto to = ParseDate((*entry)["hasta"].value_or(std::string()));
      if (!from || !to || *to < *from || *to - *from > days{62}) {
        return Bad(file, i, "desde/hasta must be dates YYYY-MM-DD, at most 62 days apart (" +
                                rule.name + ")");
      }
      rule.from = *from;
      rule.to = *to;
    } else {
      return Bad(file, i, "tipo must be fecha, dia_de_la_semana, pascua or periodo");
    }
    rules.push_back(std::move(rule));
  }
  return BusinessCalendar(std::move(rules));
}

}  // namespace sac::workflow
