// What an inbound citizen message means, and what SAC does about it, inside the pipeline's
// transaction. The conversation with each channel identity is a small state machine
// (conversation_state.h) read with the rules engine's reading of the text:
//
//   reaction, sticker, automatic reply       → ignored, with the reason
//   /start, "Empezar"                        → the welcome
//   edit, unsend                             → a note on the boleta the original made
//   blocked / unblocked                      → the identity stops / resumes receiving
//   the citizen's own contact card           → links their channels by phone
//   unsupported type, someone else's card    → a polite "send it as text"
//   SAC asked where a report is, and this answers it (a pin, or text naming a colonia or
//     street)                                → the place goes on that boleta
//   SAC asked for estado-de-cuenta or CURP data, and this brings it → that request's boleta
//   a photo or pin moments after a report (a burst), or text that only adds where → added to it
//   a reply to our message about a boleta, or its folio quoted → a note on it (if it asks how
//     it goes: the answer instead)
//   consulta_folio                           → the status of the folio, only to its citizen; or
//                                              the list of their open boletas
//   estado_cuenta, curp                      → the office's flows: collect, then a boleta
//   saludo, otro                             → the welcome or "no entendimos", once in a while
//   peticion (and any photo, pin, voice note) → a boleta, classified and routed when the rules
//                                              are sure, acknowledged with its folio; without a
//                                              place, SAC asks once where it is
// On first contact on each channel the aviso de privacidad goes with the first reply.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "classify/classifier_holder.h"
#include "config/config.h"
#include "conversation/conversation_state.h"
#include "core/clock.h"
#include "core/inbound.h"
#include "core/inbox_item.h"
#include "outbox/outbox_writer.h"
#include "storage/database.h"
#include "workflow/boleta_workflow.h"
#include "workflow/boletas.h"
#include "workflow/local_time.h"

namespace sac::conversation {

class InboundHandler {
 public:
  InboundHandler(const Clock& clock, const classify::ClassifierHolder& classifiers,
                 const workflow::BoletaWorkflow& workflow, const workflow::LocalTime& local,
                 ConversationConfig config = {})
      : clock_(clock),
        classifiers_(classifiers),
        workflow_(workflow),
        local_(local),
        config_(std::move(config)) {}

  ProcessOutcome Handle(storage::Tx& tx, std::int64_t inbox_id, const InboundMessage& message);

 private:
  struct Turn;  // one message being handled: the citizen, the reading, the replies to send

  ProcessOutcome Converse(storage::Tx& tx, Turn& turn);
  std::optional<ProcessOutcome> AnswerAwaited(storage::Tx& tx, Turn& turn);
  // The answer to the monthly survey: recorded, and a "no" reopens the boleta (inconformidad).
  std::optional<ProcessOutcome> AnswerSurvey(storage::Tx& tx, Turn& turn);
  std::optional<ProcessOutcome> AddToBurst(storage::Tx& tx, Turn& turn);
  ProcessOutcome AnswerFolioQuery(storage::Tx& tx, Turn& turn);
  ProcessOutcome AccountRequest(storage::Tx& tx, Turn& turn);
  ProcessOutcome CurpRequest(storage::Tx& tx, Turn& turn);
  ProcessOutcome NewPetition(storage::Tx& tx, Turn& turn);
  // Counts a new petition in the sender's 24-hour window (per channel identity, never per
  // citizen: a request naming someone's phone must not hold back that person's own messages);
  // its number when that is over petitions_per_day, and it then waits for staff (HoldForStaff).
  std::optional<int> CountPetition(Turn& turn) const;
  ProcessOutcome HoldForStaff(storage::Tx& tx, Turn& turn, const workflow::BoletaRef& boleta,
                              int petition);
  // A boleta for a request the office answers itself (estado de cuenta, CURP), routed to
  // `dependencia` with the citizen's words.
  workflow::BoletaRef OfficeRequest(storage::Tx& tx, Turn& turn, std::string_view categoria,
                                    std::string_view dependencia, const std::string& text);

  // Records the reading of a new boleta and routes it when the rules are sure, or to the
  // categoría the citizen chose themselves (the app's service_code); returns the
  // acknowledgement to send.
  std::string ClassifyAndRoute(storage::Tx& tx, const workflow::BoletaRef& boleta,
                               classify::Classification reading,
                               std::string_view chosen_categoria);

  void Reply(Turn& turn, std::string purpose, std::string body,
             std::optional<std::int64_t> boleta_id = std::nullopt);
  // Writes the turn's replies to the outbox (the aviso de privacidad with the first one when the
  // citizen has not seen this version) and saves the conversation.
  void Finish(storage::Tx& tx, Turn& turn);

  const Clock& clock_;
  const classify::ClassifierHolder& classifiers_;
  const workflow::BoletaWorkflow& workflow_;
  const workflow::LocalTime& local_;
  const ConversationConfig config_;
};

}  // namespace sac::conversation
