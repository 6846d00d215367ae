// What an inbound citizen message means, and what SAC does about it, inside the pipeline's
// transaction. Today's rules:
//   a reply to one of our messages about a boleta, or a message quoting the folio of one of the
//   citizen's own boletas (a template quick reply included) → a citizen note on that boleta,
//                                                  its photo or location attached, "no leída" raised
//   text, photo, voice note, video, document, location, menu reply → a new boleta, classified by
//                                                  the rules engine: routed to its dependencia when
//                                                  the rules are sure, else "por clasificar" in the
//                                                  staff queue; the acknowledgement with its folio
//   a template quick reply about nothing of theirs, reaction, sticker → ignored, with the reason
//   unsupported type, contact card                  → a polite "send it as text"
// Intents (a folio quoted to ask how it goes), grouping bursts into one boleta and asking for the
// colonia come with the conversation state machine.
#pragma once

#include <cstdint>

#include "classify/classifier_holder.h"
#include "core/clock.h"
#include "core/inbound.h"
#include "core/inbox_item.h"
#include "storage/database.h"
#include "workflow/boleta_workflow.h"
#include "workflow/boletas.h"

namespace sac::conversation {

class InboundHandler {
 public:
  InboundHandler(const Clock& clock, const classify::ClassifierHolder& classifiers,
                 const workflow::BoletaWorkflow& workflow)
      : clock_(clock), classifiers_(classifiers), workflow_(workflow) {}

  ProcessOutcome Handle(storage::Tx& tx, std::int64_t inbox_id, const InboundMessage& message);

 private:
  // Classifies a new boleta, records why, and routes it when the rules are sure, or to the
  // categoría the citizen chose themselves (the app's service_code); returns the
  // acknowledgement to send.
  std::string ClassifyAndRoute(storage::Tx& tx, const workflow::BoletaRef& boleta,
                               const std::string& text, std::string_view chosen_categoria,
                               TimePoint now);

  const Clock& clock_;
  const classify::ClassifierHolder& classifiers_;
  const workflow::BoletaWorkflow& workflow_;
};

}  // namespace sac::conversation
