// How long SAC keeps each kind of personal data (LGPDPPSO: documented periods, then deletion),
// applied every day by the scheduler (the "depuracion" job). Periods come from [retention] in
// the configuration; what stays after each is what statistics and the boletas' record need.
//
//   raw requests      the exact bytes providers sent (webhook_request.body) and quarantined
//                     e-mails: emptied after `raw_request_days` (the parsed message stays);
//                     who provider news was for, when it matched no reply: after a day.
//   messages          what citizens wrote and what SAC answered (inbox payloads, outbox texts)
//                     once their boleta has been finished for `message_days` (or they made none
//                     and are that old): a boleta closed recently may still be reopened.
//   citizens          a citizen with no contact and no boleta open (theirs, or one they follow)
//                     for `inactive_citizen_days` has all their personal data cancelled, as an
//                     ARCO cancellation would (citizen_rights.h), with motive "conservación".
//   ownerless boletas a boleta no citizen owns (captured without a name or a phone) finished for
//                     `inactive_citizen_days` loses its personal data the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "media/media_store.h"
#include "privacy/cancellation_journal.h"
#include "storage/database.h"

namespace sac::privacy {

struct RetentionPeriods {
  std::chrono::days raw_requests{90};
  std::chrono::days messages{730};
  std::chrono::days inactive_citizens{1825};
};

struct Purged {
  std::int64_t raw_requests = 0;
  std::int64_t messages = 0;
  std::int64_t citizens = 0;
  std::int64_t ownerless_boletas = 0;
  std::int64_t files = 0;
};

// Applies every period at `now`, in batches of `batch` rows per transaction (each committed, so a
// crash loses no work and holds no long lock). Files of cancelled citizens are deleted from
// `media` after their transaction commits.
Result<Purged> ApplyRetention(storage::Database& database, const media::MediaStore& media,
                              const CancellationJournal& journal, const RetentionPeriods& periods,
                              TimePoint now, int batch = 1000);

}  // namespace sac::privacy
