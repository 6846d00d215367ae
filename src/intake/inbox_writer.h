// InboxWriter: the durable half of a webhook. One transaction stores the raw request and one inbox
// row per message or delivery update (deduplicated by the provider's id under a UNIQUE
// constraint), then commits; only after that does the webhook answer 200.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "core/inbound.h"
#include "core/result.h"
#include "storage/database.h"

namespace sac::intake {

inline constexpr std::string_view kInboxNotifyChannel = "sac_inbox";

struct StoreSummary {
  int stored = 0;      // new inbox rows
  int duplicates = 0;  // already stored by an earlier delivery
};

// The same, for one message, inside the caller's transaction (an API that must record more in
// the same commit, like Open311's token): the new inbox row's id, or nullopt when its dedupe key
// is already there (the caller decides whether to keep the raw request). Queues the pipeline's
// wake-up for the commit.
std::optional<std::int64_t> StoreMessage(storage::Tx& tx, std::string_view channel,
                                         std::string_view raw_body, const InboundMessage& message,
                                         TimePoint now);

// What InboxWriter::Store writes (the raw request and one row per message or update), inside the
// caller's transaction, for a channel that must record more in the same commit (e-mail's replay
// tokens). When every item is a duplicate the caller should roll back, as Store does.
StoreSummary StoreParsed(storage::Tx& tx, std::string_view channel, std::string_view raw_body,
                         const ParsedWebhook& parsed, TimePoint now);

class InboxWriter {
 public:
  InboxWriter(storage::Database& database, const Clock& clock)
      : database_(database), clock_(clock) {}

  // Durable when it returns ok (synchronous commit). When every item is a duplicate nothing at
  // all is written, the raw request included. kUnavailable/kTimeout: answer 503 so the provider
  // retries.
  Result<StoreSummary> Store(std::string_view channel, std::string_view raw_body,
                             const ParsedWebhook& parsed);

 private:
  storage::Database& database_;
  const Clock& clock_;
};

}  // namespace sac::intake
