// The durable half of receiving mail: attachments into the content-addressed media store, then
// one transaction with the raw request, the inbox row and (Mailgun) the replay token; only after
// the commit is the mail acknowledged (200, or exit 0 to Postfix). Also where mail that cannot be
// read is quarantined and SNS subscriptions are recorded.
#pragma once

#include <string_view>

#include "channels/email/inbound_mail.h"
#include "channels/email/payloads.h"
#include "core/clock.h"
#include "core/result.h"
#include "media/media_store.h"
#include "storage/database.h"

namespace sac::channels::email {

enum class StoreOutcome {
  kStored,     // new inbox rows, committed
  kDuplicate,  // every item was already there (a redelivery): nothing written
  kReplayed,   // a Mailgun token seen before, with a mail never stored: refused, nothing written
};

class EmailIntake {
 public:
  EmailIntake(storage::Database& database, const media::MediaStore& media, const Clock& clock)
      : database_(database), media_(media), clock_(clock) {}

  // `raw` is what is kept as the request (the HTTP body, or the piped message). kUnavailable or
  // kTimeout when the disk or the database refuse: ask the sender to retry.
  Result<StoreOutcome> Store(const ReceivedMail& mail, std::string_view raw) const;

  // Keeps mail that could not be read (at most `kept` of it) with the reason, for staff; the
  // same bytes kept once (a provider or Postfix delivering it again adds nothing).
  Status Quarantine(std::string_view kept, std::size_t received_bytes, std::string_view source,
                    std::string_view reason) const;

  // Records an SNS subscription to confirm; false when it was confirmed already.
  Result<bool> RecordSubscription(const SnsEnvelope& envelope) const;
  // What visiting its SubscribeURL gave: confirmed, or the error to keep.
  Status FinishSubscription(std::string_view message_id, const Status& visited) const;

 private:
  storage::Database& database_;
  const media::MediaStore& media_;
  const Clock& clock_;
};

}  // namespace sac::channels::email
