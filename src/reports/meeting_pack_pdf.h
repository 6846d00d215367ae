// The meeting pack as a PDF to print or send before the meeting: one section per dependencia,
// A4 landscape, its summary and the three lists with the ages of each boleta. libharu with the
// PDF base-14 Helvetica (no font files to ship): text is converted from UTF-8 to WinAnsi, which
// holds every Spanish letter.
#pragma once

#include <optional>
#include <string>

#include "reports/meeting_pack.h"
#include "workflow/local_time.h"

namespace sac::reports {

// nullopt when libharu fails (out of memory); the error is logged.
std::optional<std::string> MeetingPackPdf(const MeetingPack& pack, const workflow::LocalTime& local);

// UTF-8 → Windows-1252 for the base-14 fonts: Latin-1 letters as they are, “ ” ‘ ’ – — … € as
// WinAnsi has them, anything else (emoji, other scripts) as '?'. Malformed bytes become '?'.
std::string ToWinAnsi(std::string_view utf8);

}  // namespace sac::reports
