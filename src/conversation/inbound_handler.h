// What an inbound citizen message means, and what SAC does about it, inside the pipeline's
// transaction. Today's rules:
//   text, photo, voice note, video, document, location, menu reply → a new boleta "por clasificar"
//                                                                   and the acknowledgement with its folio
//   template quick reply naming a folio (monthly survey)           → a citizen note on that boleta
//   reaction, sticker                                              → nothing (ignored with reason)
//   unsupported type, contact card                                 → a polite "send it as text"
// Grouping bursts into one boleta, asking for the colonia and answering folio queries come with
// the conversation state machine.
#pragma once

#include <cstdint>

#include "core/clock.h"
#include "core/inbound.h"
#include "core/inbox_item.h"
#include "storage/database.h"

namespace sac::conversation {

class InboundHandler {
 public:
  explicit InboundHandler(const Clock& clock) : clock_(clock) {}

  ProcessOutcome Handle(storage::Tx& tx, std::int64_t inbox_id, const InboundMessage& message);

 private:
  const Clock& clock_;
};

}  // namespace sac::conversation
