// The meeting pack as a PDF to print or send before the meeting: one section per dependencia,
// A4 landscape, its summary and the three lists with the ages of each boleta.
#pragma once

#include <optional>
#include <string>

#include "reports/meeting_pack.h"
#include "workflow/local_time.h"

namespace sac::reports {

// nullopt when libharu fails (out of memory); the error is logged.
std::optional<std::string> MeetingPackPdf(const MeetingPack& pack, const workflow::LocalTime& local);

// "30/11/2026" and "30/11/2026 19:40", Mazatlán time: how printed SAC documents write dates.
std::string ShortDate(const workflow::LocalTime& local, TimePoint instant);
std::string ShortDateTime(const workflow::LocalTime& local, TimePoint instant);

}  // namespace sac::reports
