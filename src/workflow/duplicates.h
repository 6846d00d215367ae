// Possible duplicates of a boleta, for staff to decide (SAC never merges by itself): open boletas
// of the same categoría created within a few days of it, either within a short distance when both
// have coordinates, or in the same colonia with the same street text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

namespace sac::workflow {

struct DuplicateSettings {
  double radius_meters = 150;
  int window_days = 30;
};

struct DuplicateCandidate {
  std::int64_t boleta_id = 0;
  std::string folio;
  std::optional<double> distance_meters;  // when both have coordinates
};

// Nearest first, at most 10.
std::vector<DuplicateCandidate> FindDuplicateCandidates(storage::Tx& tx, std::int64_t boleta_id,
                                                        const DuplicateSettings& settings);

}  // namespace sac::workflow
