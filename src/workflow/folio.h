// Folios: the public number of a boleta, YYYY-NNNNNN (e.g. 2026-000123), spoken over the phone.
// Numbers increase within a year and are never reused; the year is Mazatlán's local year.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "storage/database.h"

namespace sac::workflow {

struct Folio {
  int year = 0;
  int number = 0;
};

std::string FormatFolio(const Folio& folio);

// Finds a folio written by a citizen or staff: "2026-000123", "MZT-2026-000123",
// "folio 2026-123" (short numbers are padded). The first one in `text`, if any.
std::optional<Folio> FindFolio(std::string_view text);

// Takes the next number of the year `now` falls in (America/Mazatlan). The counter row stays
// locked until the transaction ends, so folios are handed out in commit order, without gaps
// from committed boletas.
Folio NextFolio(storage::Tx& tx, TimePoint now);

}  // namespace sac::workflow
