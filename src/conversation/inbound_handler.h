// What an inbound citizen message means, and what SAC does about it, inside the pipeline's
// transaction. Today's rules:
//   a reply to one of our messages about a boleta, or a message quoting the folio of one of the
//   citizen's own boletas (a template quick reply included) → a citizen note on that boleta,
//                                                  its photo or location attached, "no leída" raised
//   text, photo, voice note, video, document, location, menu reply → a new boleta "por clasificar"
//                                                  and the acknowledgement with its folio
//   a template quick reply about nothing of theirs, reaction, sticker → ignored, with the reason
//   unsupported type, contact card                  → a polite "send it as text"
// Intents (a folio quoted to ask how it goes), grouping bursts into one boleta and asking for the
// colonia come with the conversation state machine.
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
