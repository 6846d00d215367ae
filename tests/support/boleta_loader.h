// Loads many boletas quickly (COPY) for benchmarks: the same data every run (a fixed seed).
// One in ten still in a dependencia's hands (due from ten days ago to twenty days ahead, a
// quarter of those unread), the rest history; created over the last five years.
#pragma once

#include <string>
#include <vector>

#include "tests/support/test_database.h"

namespace sac::testing {

void LoadBoletas(const TestDatabase& db, int count, const std::vector<std::string>& dependencias);

}  // namespace sac::testing
