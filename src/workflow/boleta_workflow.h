// Everything that changes a boleta after intake: status changes through the transition table,
// the fields each action implies (dependencia, deadline, read flag, dates, reasons), notes, and
// the bitácora event for each, all inside the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"
#include "workflow/actor.h"
#include "workflow/bitacora.h"
#include "workflow/boleta_status.h"
#include "workflow/sla.h"

namespace sac::workflow {

struct StatusChange {
  BoletaStatus to = BoletaStatus::kPorClasificar;
  std::string comment;                       // why; required to devolver and for no_procede
  std::string dependencia_id;                // required to canalizar and reasignar
  std::optional<Date> scheduled_for;         // required to programar and reprogramar
  std::optional<std::int64_t> duplicate_of;  // required to marcar_duplicada
  // The boleta's status_version the person decided on (what their page or GET showed). When
  // given and the boleta has changed status since, the change is refused: two people acting on
  // the same boleta at once must not both act, nor the second silently undo the first.
  std::optional<int> seen_version;
};

struct ChangeResult {
  std::string action;  // canalizar, reasignar, ...
  BoletaStatus from;
  BoletaStatus to;
  int status_version = 0;  // the boleta's, after this change
};

class BoletaWorkflow {
 public:
  BoletaWorkflow(const SlaClock& sla, const Clock& clock) : sla_(sla), clock_(clock) {}

  // Errors: kNotFound (no such boleta, or it is not the acting dependencia's), kConflict (the
  // transition table refuses it), kStale (it changed status after `seen_version`),
  // kPermissionDenied (this kind of actor may not), and kInvalidArgument (a required
  // dependencia, date, reason or original is missing or wrong). Nothing is written on an error.
  Result<ChangeResult> ChangeStatus(storage::Tx& tx, const Actor& actor, std::int64_t boleta_id,
                                    const StatusChange& change) const;

  // A dependencia opens its boleta: the first time it goes canalizada → leída; every time the
  // "no leída" flag drops. Other actors opening it change nothing.
  Status Open(storage::Tx& tx, const Actor& actor, std::int64_t boleta_id) const;

  // A note from the dependencia or staff (public notes may be shown to the citizen).
  Result<std::int64_t> AddNote(storage::Tx& tx, const Actor& actor, std::int64_t boleta_id,
                               const std::string& text, bool is_public) const;

 private:
  const SlaClock& sla_;
  const Clock& clock_;
};

// A citizen's later word about an existing boleta (a reply, a message quoting its folio, a
// photo, a survey answer): a note that raises "no leída" for the dependencia (the manual's rule).
// `source_inbox_id`: the inbox row of the message, so a later edit or unsend of that message
// finds this boleta.
std::int64_t AddCitizenNote(storage::Tx& tx, std::int64_t boleta_id, std::string_view text,
                            std::string_view via, TimePoint now,
                            std::optional<std::int64_t> source_inbox_id = std::nullopt);


}  // namespace sac::workflow
