// Local dates and times of the municipality (America/Mazatlan), read from the system's tz
// database (Debian's tzdata, kept current by security updates). libstdc++ 12 has no std::chrono
// time zones, and ICU's built-in data predates Mexico's 2022 abolition of daylight saving time.
#pragma once

#include <chrono>
#include <optional>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"

namespace sac::workflow {

using Date = std::chrono::sys_days;  // a calendar date, whatever the zone

// "2026-12-15".
std::string FormatDate(Date date);
// "2026-03-18" → the date; nullopt for anything else (or an impossible date).
std::optional<Date> ParseDate(std::string_view text);

class LocalTime {
 public:
  // Reads /usr/share/zoneinfo/<zone> (TZif). kInvalidArgument when missing or unreadable.
  static Result<LocalTime> Load(const std::string& zone,
                                const std::filesystem::path& zoneinfo = "/usr/share/zoneinfo");

  // UTC offset in effect at `instant`.
  std::chrono::seconds OffsetAt(TimePoint instant) const;

  // The local calendar date of an instant.
  Date LocalDate(TimePoint instant) const;

  // The first instant of a local date (00:00 local; the zone never skips midnight).
  TimePoint StartOfDay(Date date) const;

  const std::string& zone() const { return zone_; }

 private:
  struct Transition {
    std::int64_t at;     // unix seconds
    std::int32_t offset; // seconds east of UTC from then on
  };
  std::string zone_;
  std::int32_t initial_offset_ = 0;
  std::vector<Transition> transitions_;
};

}  // namespace sac::workflow
