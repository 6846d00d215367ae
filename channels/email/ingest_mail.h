// `sac ingest-mail`: one raw RFC 5322 message on stdin, as Postfix's pipe(8) transport delivers
// it (master.cf: `argv=/usr/local/bin/sac --config /etc/sac.toml ingest-mail`). The exit status
// tells Postfix what happened, in <sysexits.h> terms:
//
//   0  (EX_OK)        stored and committed, or already stored (a redelivery); a mail over the
//                     size limit is stored without the attachment it was cut in, on record as
//                     too large (channels/email/mime_limits.h: WholePartsOf)
//   65 (EX_DATAERR)   not a mail SAC can read, over the structure limits, or too big with nothing
//                     whole to keep: kept in email_quarantine, and Postfix bounces it to the sender
//   75 (EX_TEMPFAIL)  the database, the disk or the configuration is not ready: Postfix keeps
//                     the message and tries again later
#pragma once

#include <istream>

#include "config/config.h"

namespace sac::channels::email {

inline constexpr int kExitDelivered = 0;
inline constexpr int kExitDataError = 65;
inline constexpr int kExitTempFail = 75;

int IngestMail(std::istream& in, const Config& config);

}  // namespace sac::channels::email
