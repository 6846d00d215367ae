// The bitácora de vulneraciones (LGPDPPSO arts. 38–41): every breach of the security of citizens'
// personal data, recorded by an official (`sac breach ...`, deploy/runbook.md "Vulneraciones").
// The law asks for the date, the cause and the corrective actions, and for the citizens and the
// organismo garante to be told "sin dilación alguna" when the breach significantly affects them.
// Our own target (reliability goal P3): the decision whether to notify is taken within 72 hours of
// confirming the breach; /metrics counts breaches still undecided, and those undecided for more
// than 48 hours, and deploy/prometheus alerts on them.
//
// Entries are categories and counts, never personal data; they are completed, never deleted.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"

namespace sac::privacy {

inline constexpr std::chrono::hours kBreachDecisionTarget{72};
inline constexpr std::chrono::hours kBreachDecisionWarning{48};

struct NewBreach {
  TimePoint occurred_at;
  TimePoint confirmed_at;
  std::string cause;               // what happened
  std::string data_categories;     // which kinds of data ("teléfonos, textos de boletas")
  int citizens_affected = 0;       // how many, as far as known
  std::string corrective_actions;  // what was done at once and what will be done
  std::string actor;
};

// kInvalidArgument for an empty field, a negative count, a breach confirmed before it happened
// or in the future.
Result<std::int64_t> RecordBreach(storage::Tx& tx, const NewBreach& breach, TimePoint now);

// The decision, once: notify the citizens and the organismo garante, or not (and why).
// kConflict when already decided; kNotFound for an unknown id.
Status DecideBreachNotice(storage::Tx& tx, std::int64_t id, bool notify, const std::string& reason,
                          const std::string& actor, TimePoint now);

enum class Notified { kCitizens, kAuthority };
// kConflict unless the decision was to notify, or when already recorded.
Status RecordBreachNotice(storage::Tx& tx, std::int64_t id, Notified who, TimePoint now);

struct BreachStatus {
  std::int64_t id = 0;
  TimePoint confirmed_at;
  std::string cause;
  int citizens_affected = 0;
  std::optional<bool> notify;  // nullopt: not decided yet
  bool citizens_notified = false;
  bool authority_notified = false;
};
// Breaches with something still to do (a decision, or a notice decided and not yet given), the
// oldest first.
std::vector<BreachStatus> PendingBreaches(storage::Tx& tx);

}  // namespace sac::privacy
