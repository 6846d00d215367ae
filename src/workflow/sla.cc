#include "workflow/sla.h"

namespace sac::workflow {

TimePoint SlaClock::DueAt(TimePoint start, int business_days) const {
  const Date last_day = calendar_.AddBusinessDays(local_.LocalDate(start), business_days);
  return local_.StartOfDay(last_day + std::chrono::days{1});
}

TimePoint SlaClock::DueSoonLimit(TimePoint now) const {
  // Due by the end of the second business day from today.
  const Date limit = calendar_.AddBusinessDays(local_.LocalDate(now), kDueSoonBusinessDays);
  return local_.StartOfDay(limit + std::chrono::days{1});
}

TimePoint SlaClock::UnreadLimit(TimePoint now) const {
  return local_.StartOfDay(calendar_.AddBusinessDays(local_.LocalDate(now), -1));
}

Standing SlaClock::StandingAt(TimePoint due, TimePoint now) const {
  if (now >= due) {
    return Standing::kOverdue;
  }
  return due <= DueSoonLimit(now) ? Standing::kDueSoon : Standing::kOnTime;
}

int SlaClock::BusinessDaysSince(TimePoint since, TimePoint now) const {
  return calendar_.BusinessDaysBetween(local_.LocalDate(since), local_.LocalDate(now));
}

}  // namespace sac::workflow
