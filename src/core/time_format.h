// Instants as text: ISO 8601 in UTC with microseconds ("2026-12-15T07:00:00.000000Z"), the form
// SQL parameters and the JSON API use.
#pragma once

#include <string>

#include "core/clock.h"

namespace sac {

std::string FormatUtc(TimePoint time);

}  // namespace sac
