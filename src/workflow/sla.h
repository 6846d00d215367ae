// The deadline of a boleta (the manual's rule 3: attended within 10 días hábiles; 15 for alumbrado
// público; per-dependencia and per-categoría values in rules/dependencias.toml).
//
// Decisions, so everyone counts the same way:
// - The clock starts when the boleta is canalizada. The day it is canalizada does not count; the
//   deadline is the end (24:00, Mazatlán time) of the n-th business day after it.
// - It does not pause. Waiting for the citizen (a missing location) happens before canalizar,
//   while the boleta is por clasificar and no clock runs; a dependencia that needs more returns
//   the boleta to the queue, which stops the clock.
// - Reasignar restarts it: the new dependencia gets its full term (the wrong routing was not its
//   fault); the bitácora keeps the whole history and the original dates.
// - Devolver clears it; the next canalizar starts a new one.
// - Inconformidad restarts it for the same dependencia: the citizen's dispute gets a full term.
// - "Por vencer": two business days or fewer remain. "Vencida": the deadline has passed.
#pragma once

#include "core/clock.h"
#include "workflow/business_calendar.h"
#include "workflow/local_time.h"

namespace sac::workflow {

enum class Standing { kOnTime, kDueSoon, kOverdue };  // a tiempo, por vencer, vencida

inline constexpr int kDueSoonBusinessDays = 2;

class SlaClock {
 public:
  SlaClock(const BusinessCalendar& calendar, const LocalTime& local)
      : calendar_(calendar), local_(local) {}

  TimePoint DueAt(TimePoint start, int business_days) const;
  Standing StandingAt(TimePoint due, TimePoint now) const;

  // Boletas due at or before this instant are "por vencer" at `now` (if not yet overdue).
  TimePoint DueSoonLimit(TimePoint now) const;

  // Boletas unread since before this instant have waited more than one business day.
  TimePoint UnreadLimit(TimePoint now) const;

  const BusinessCalendar& calendar() const { return calendar_; }
  // The local date of an instant.
  Date Today(TimePoint now) const { return local_.LocalDate(now); }

  // Business days between two instants' local dates (for "no leída desde hace N días").
  int BusinessDaysSince(TimePoint since, TimePoint now) const;

 private:
  const BusinessCalendar& calendar_;
  const LocalTime& local_;
};

}  // namespace sac::workflow
