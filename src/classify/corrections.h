// Staff corrections as golden-case material. When a person routes a boleta elsewhere than the
// machine did (or would have), src/workflow keeps a classification_correction row; this turns the
// rows not yet proposed into lines for rules/cases/*.tsv, so the rules learn from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
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
  std::int64_t boleta_id = 0;
};

// The corrections not yet proposed as cases (all of them with `again`), oldest first, marked as
// proposed in the same transaction.
Result<std::vector<Correction>> TakeCorrections(storage::Tx& tx, bool again);

// Staff propose how a boleta was routed as a golden case (the queue's "proponer como caso"):
// marks its latest correction as proposed, or — when the person agreed with the machine and so
// there is none — records one whose human answer is the boleta's dependencia. false when the
// boleta has no dependencia yet.
bool ProposeAsCase(storage::Tx& tx, std::int64_t boleta_id, const std::string& staff, TimePoint now);

// The proposals not yet written out as case lines, oldest first; changes nothing.
std::vector<Correction> PendingProposals(storage::Tx& tx);

// Marks these corrections as written out (after an administrator added them to rules/cases).
int MarkWrittenOut(storage::Tx& tx, const std::vector<std::int64_t>& ids);

// Two lines: a "#" comment with what the machine said and who corrected it, then the case
// (text, intent, dependencia, colonia) in the tab-separated format of rules/cases.
std::string GoldenCaseLines(const Correction& correction);

}  // namespace sac::classify
