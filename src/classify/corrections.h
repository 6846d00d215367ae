// Staff corrections as golden-case material. When a person routes a boleta elsewhere than the
// machine did (or would have), src/workflow keeps a classification_correction row; this turns the
// rows not yet proposed into lines for rules/cases/*.tsv, so the rules learn from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/database.h"

namespace sac::classify {

struct Correction {
  std::int64_t id = 0;
  std::string folio;
  std::string text;                 // the citizen's words, as received
  std::string colonia;              // as recorded on the boleta ("" when none)
  std::string machine_dependencia;  // "" when the machine had no idea
  std::string machine_categoria;
  double machine_confidence = 0;
  std::string human_dependencia;
  std::string staff;
};

// The corrections not yet proposed as cases (all of them with `again`), oldest first, marked as
// proposed in the same transaction.
Result<std::vector<Correction>> TakeCorrections(storage::Tx& tx, bool again);

// Two lines: a "#" comment with what the machine said and who corrected it, then the case
// (text, intent, dependencia, colonia) in the tab-separated format of rules/cases.
std::string GoldenCaseLines(const Correction& correction);

}  // namespace sac::classify
