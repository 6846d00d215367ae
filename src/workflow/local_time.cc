#include "workflow/local_time.h"

#include <charconv>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

namespace sac::workflow {
namespace {

std::int64_t ReadBigEndian(const std::string& data, std::size_t at, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i) {
    value = (value << 8) | static_cast<unsigned char>(data[at + static_cast<std::size_t>(i)]);
  }
  if (bytes == 4) {
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
  }
  return static_cast<std::int64_t>(value);
}

Error Bad(const std::string& zone, const std::string& what) {
  return MakeError(Errc::kInvalidArgument, "time zone " + zone + ": " + what);
}

// "MST7" or "<-07>7": a zone without daylight saving time after its last transition. Returns the
// offset east of UTC, or nullopt for footers with rules (which this reader does not need).
std::optional<std::int32_t> FixedOffsetFromFooter(const std::string& footer) {
  if (footer.find(',') != std::string::npos) {
    return std::nullopt;
  }
  std::size_t i = 0;
  if (i < footer.size() && footer[i] == '<') {
    i = footer.find('>');
    if (i == std::string::npos) return std::nullopt;
    ++i;
  } else {
    while (i < footer.size() && std::isalpha(static_cast<unsigned char>(footer[i]))) ++i;
  }
  int sign = 1;
  if (i < footer.size() && (footer[i] == '+' || footer[i] == '-')) {
    sign = footer[i] == '-' ? -1 : 1;
    ++i;
  }
  int hours = 0;
  int minutes = 0;
  if (i >= footer.size() || !std::isdigit(static_cast<unsigned char>(footer[i]))) return std::nullopt;
  while (i < footer.size() && std::isdigit(static_cast<unsigned char>(footer[i]))) {
    hours = hours * 10 + (footer[i++] - '0');
  }
  if (i < footer.size() && footer[i] == ':') {
    ++i;
    while (i < footer.size() && std::isdigit(static_cast<unsigned char>(footer[i]))) {
      minutes = minutes * 10 + (footer[i++] - '0');
    }
  }
  if (i != footer.size()) {
    return std::nullopt;  // a DST name follows: rules we do not handle
  }
  // POSIX offsets are west of UTC ("MST7" is UTC-7).
  return -sign * (hours * 3600 + minutes * 60);
}

}  // namespace

std::string FormatDate(Date date) {
  const std::chrono::year_month_day ymd{date};
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buffer;
}

Result<LocalTime> LocalTime::Load(const std::string& zone, const std::filesystem::path& zoneinfo) {
  if (zone.empty() || zone.find("..") != std::string::npos) {
    return Bad(zone, "not a zone name");
  }
  std::ifstream in(zoneinfo / zone, std::ios::binary);
  if (!in) {
    return Bad(zone, "not found in " + zoneinfo.string() + " (install tzdata)");
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  const std::string data = bytes.str();
  constexpr std::size_t kHeader = 44;
  if (data.size() < kHeader || data.compare(0, 4, "TZif") != 0 || data[4] < '2') {
    return Bad(zone, "not a TZif version 2+ file");
  }
  // The version 1 block comes first (32-bit times); skip it for the 64-bit block after it.
  const auto counts = [&](std::size_t at) {
    struct {
      std::int64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
    } c{ReadBigEndian(data, at + 20, 4), ReadBigEndian(data, at + 24, 4),
        ReadBigEndian(data, at + 28, 4), ReadBigEndian(data, at + 32, 4),
        ReadBigEndian(data, at + 36, 4), ReadBigEndian(data, at + 40, 4)};
    return c;
  };
  const auto v1 = counts(0);
  const std::size_t v1_size = static_cast<std::size_t>(
      v1.timecnt * 5 + v1.typecnt * 6 + v1.charcnt + v1.leapcnt * 8 + v1.isstdcnt + v1.isutcnt);
  const std::size_t v2 = kHeader + v1_size;
  if (data.size() < v2 + kHeader || data.compare(v2, 4, "TZif") != 0) {
    return Bad(zone, "truncated TZif file");
  }
  const auto c = counts(v2);
  std::size_t at = v2 + kHeader;
  const std::size_t times_at = at;
  const std::size_t indices_at = times_at + static_cast<std::size_t>(c.timecnt) * 8;
  const std::size_t types_at = indices_at + static_cast<std::size_t>(c.timecnt);
  const std::size_t block_end = types_at + static_cast<std::size_t>(c.typecnt) * 6 +
                                static_cast<std::size_t>(c.charcnt + c.leapcnt * 12 + c.isstdcnt +
                                                         c.isutcnt);
  if (c.typecnt < 1 || data.size() < block_end) {
    return Bad(zone, "truncated TZif data block");
  }
  const auto type_offset = [&](std::size_t type) {
    return static_cast<std::int32_t>(ReadBigEndian(data, types_at + type * 6, 4));
  };
  LocalTime local;
  local.zone_ = zone;
  local.initial_offset_ = type_offset(0);
  for (std::int64_t i = 0; i < c.timecnt; ++i) {
    const auto index = static_cast<std::size_t>(i);
    const auto type = static_cast<unsigned char>(data[indices_at + index]);
    if (type >= c.typecnt) {
      return Bad(zone, "transition names a missing type");
    }
    local.transitions_.push_back({ReadBigEndian(data, times_at + index * 8, 8), type_offset(type)});
  }
  // After the last transition the footer's POSIX TZ string rules.
  const std::size_t footer_start = data.find('\n', block_end);
  const std::size_t footer_end =
      footer_start == std::string::npos ? std::string::npos : data.find('\n', footer_start + 1);
  if (footer_end != std::string::npos) {
    const std::string footer = data.substr(footer_start + 1, footer_end - footer_start - 1);
    if (!footer.empty()) {
      const auto fixed = FixedOffsetFromFooter(footer);
      if (!fixed) {
        return Bad(zone, "recurring daylight saving rules (" + footer + ") are not supported");
      }
      const std::int64_t last = local.transitions_.empty() ? INT64_MIN : local.transitions_.back().at;
      if (local.transitions_.empty() || local.transitions_.back().offset != *fixed) {
        local.transitions_.push_back({last == INT64_MIN ? INT64_MIN : last + 1, *fixed});
      }
    }
  }
  return local;
}

std::chrono::seconds LocalTime::OffsetAt(TimePoint instant) const {
  const std::int64_t t =
      std::chrono::duration_cast<std::chrono::seconds>(instant.time_since_epoch()).count();
  const auto after = std::upper_bound(
      transitions_.begin(), transitions_.end(), t,
      [](std::int64_t value, const Transition& transition) { return value < transition.at; });
  return std::chrono::seconds(after == transitions_.begin() ? initial_offset_
                                                            : std::prev(after)->offset);
}

Date LocalTime::LocalDate(TimePoint instant) const {
  return std::chrono::floor<std::chrono::days>(instant + OffsetAt(instant));
}

TimePoint LocalTime::StartOfDay(Date date) const {
  // Guess with the offset at that UTC midnight, then correct once for a transition in between.
  const TimePoint midnight_utc = TimePoint(date.time_since_epoch());
  TimePoint guess = midnight_utc - OffsetAt(midnight_utc);
  const auto corrected = midnight_utc - OffsetAt(guess);
  return LocalDate(corrected) == date ? corrected : guess;
}

std::optional<Date> ParseDate(std::string_view text) {
  int y = 0;
  unsigned m = 0;
  unsigned d = 0;
  if (text.size() != 10 || text[0] < '0' || text[0] > '9' || text[4] != '-' || text[7] != '-' ||
      std::from_chars(text.data(), text.data() + 4, y).ptr != text.data() + 4 ||
      std::from_chars(text.data() + 5, text.data() + 7, m).ptr != text.data() + 7 ||
      std::from_chars(text.data() + 8, text.data() + 10, d).ptr != text.data() + 10) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m},
                                        std::chrono::day{d}};
  return ymd.ok() ? std::optional<Date>(std::chrono::sys_days(ymd)) : std::nullopt;
}

}  // namespace sac::workflow
