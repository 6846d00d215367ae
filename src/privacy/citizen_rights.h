// Citizens' data rights (ARCO: acceso, rectificación, cancelación, oposición — LGPDPPSO), carried
// out by an official on the citizen's request (`sac ciudadano ...`). Each is recorded in
// arco_action with who did it and what changed, never the data itself.
//
// - Acceso / portabilidad: everything SAC holds about the citizen, as JSON (complete) and PDF
//   (readable).
// - Rectificación: their name or phone.
// - Oposición: SAC stops starting conversations with them (the monthly survey); replies to what
//   they write and news of their own boletas still go.
// - Cancelación: their personal data is removed — the citizen's name and phone, their channel
//   identities and conversations, the texts, addresses and coordinates of their boletas, their
//   notes and staff notes on them, the messages received (parsed and raw) and sent, survey
//   answers, and photos and files (deleted from disk when no one else's boleta has them). What
//   statistics need stays: each boleta with its folio, dates, status, dependencia, categoría and
//   colonia. Messages still waiting to go to them are cancelled.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "privacy/cancellation_journal.h"
#include "storage/database.h"
#include "workflow/local_time.h"

namespace sac::privacy {

// The citizen with this id, or with this phone (any Mexican form). kNotFound, or
// kInvalidArgument for a phone that is not one.
Result<std::int64_t> FindCitizen(storage::Tx& tx, std::optional<std::int64_t> id,
                                 const std::string& phone);

struct CitizenData {
  std::string json;  // everything, structured (portability)
  std::string pdf;   // the same, to read and print
  int boletas = 0;
};
// kUnavailable when the PDF could not be written.
Result<CitizenData> ExportCitizen(storage::Tx& tx, std::int64_t citizen_id,
                                  const workflow::LocalTime& local, const std::string& actor,
                                  TimePoint now);

// Only the fields given change; a phone another citizen has is refused (kConflict).
Status RectifyCitizen(storage::Tx& tx, std::int64_t citizen_id,
                      const std::optional<std::string>& name, const std::optional<std::string>& phone,
                      const std::string& actor, TimePoint now);

Status OpposeCitizen(storage::Tx& tx, std::int64_t citizen_id, const std::string& actor,
                     TimePoint now);

// The personal data of the boletas `boleta_ids` (a PostgreSQL array, "{4,9}"), whoever they
// belong to: their texts, addresses and coordinates, the citizen's and staff's notes, the
// messages that started them and those sent about them, survey answers, photos and files. Each
// text then reads why (`motive`, as below), and each boleta's bitácora records it. What stays is
// what CancelCitizen keeps. Used by CancelCitizen, and by retention for boletas no citizen owns.
struct BoletasRemoved {
  int boletas = 0;
  int messages = 0;
  std::vector<std::string> files_to_delete;  // no other boleta uses them: delete after commit
};
BoletasRemoved RemoveBoletasPersonalData(storage::Tx& tx, const std::string& boleta_ids,
                                         const std::string& actor, TimePoint now,
                                         const std::string& motive);

struct Cancellation {
  std::int64_t citizen_created_us = 0;  // what names them in the cancellation journal
  int boletas = 0;
  int messages = 0;
  // Files no other boleta uses: delete them from the media store once the transaction commits.
  std::vector<std::string> files_to_delete;
};
// `motive`: why, for the record — "solicitud" (the citizen asked) or "conservacion" (the
// retention period ended, retention.h). Written to `journal` before the transaction commits (a
// restored backup must not bring the data back: cancellation_journal.h); nullptr when the caller
// journals after the commit (retention: a run that fails is simply run again) or re-applies a
// journalled cancellation.
Result<Cancellation> CancelCitizen(storage::Tx& tx, std::int64_t citizen_id,
                                   const std::string& actor, TimePoint now,
                                   const std::string& motive, const CancellationJournal* journal);

}  // namespace sac::privacy
