#include "conversation/inbound_handler.h"

#include "citizens/citizen_directory.h"
#include "conversation/replies.h"
#include "outbox/outbox_writer.h"
#include "workflow/boletas.h"

namespace sac::conversation {
namespace {

outbox::NewReply ReplyTo(const InboundMessage& message, std::int64_t citizen_id,
                         std::int64_t inbox_id, TimePoint now, std::string purpose,
                         std::string body) {
  outbox::NewReply reply;
  reply.channel = message.channel;
  reply.account_id = message.account_id;
  reply.recipient = message.sender_id;
  reply.citizen_id = citizen_id;
  reply.source_inbox_id = inbox_id;
  reply.purpose = std::move(purpose);
  reply.body = std::move(body);
  reply.not_before = now;
  return reply;
}

bool IsMedia(MessageType type) {
  return type == MessageType::kImage || type == MessageType::kAudio ||
         type == MessageType::kVideo || type == MessageType::kDocument;
}

}  // namespace

ProcessOutcome InboundHandler::Handle(storage::Tx& tx, std::int64_t inbox_id,
                                      const InboundMessage& message) {
  const TimePoint now = clock_.Now();
  switch (message.type) {
    case MessageType::kReaction:
      return ProcessOutcome::Ignored("reaction");
    case MessageType::kSticker:
      return ProcessOutcome::Ignored("sticker");
    default:
      break;
  }

  const citizens::ResolvedCitizen citizen = citizens::Resolve(tx, message);

  if (message.type == MessageType::kUnsupported || message.type == MessageType::kContacts) {
    outbox::EnqueueReply(tx, ReplyTo(message, citizen.id, inbox_id, now, "tipo_no_soportado",
                                     UnsupportedMessage()));
    return ProcessOutcome::Processed("unsupported message answered");
  }

  if (message.type == MessageType::kTemplateButton) {
    const auto folio = workflow::FindFolio(message.reply_payload);
    const auto boleta = folio ? workflow::FindBoletaByFolio(tx, *folio) : std::nullopt;
    if (!boleta) {
      return ProcessOutcome::Ignored("template reply for an unknown folio");
    }
    workflow::AddCitizenNote(tx, boleta->id, message.text, "respuesta_plantilla", now);
    outbox::NewReply reply =
        ReplyTo(message, citizen.id, inbox_id, now, "nota_agregada", NoteAdded(boleta->folio));
    reply.boleta_id = boleta->id;
    outbox::EnqueueReply(tx, reply);
    return ProcessOutcome::Processed("note added to boleta " + boleta->folio);
  }

  workflow::NewBoleta request;
  request.channel = message.channel;
  request.citizen_id = citizen.id;
  request.source_inbox_id = inbox_id;
  request.text = message.text;
  request.location = message.location;
  if (IsMedia(message.type)) {
    request.media = message.media;
    request.media_kind = message.type;
  }
  const workflow::BoletaRef boleta = workflow::CreateBoleta(tx, request, now);
  outbox::NewReply reply =
      ReplyTo(message, citizen.id, inbox_id, now, "acuse_boleta", BoletaRegistered(boleta.folio));
  reply.boleta_id = boleta.id;
  outbox::EnqueueReply(tx, reply);
  return ProcessOutcome::Processed("boleta " + boleta.folio + " created");
}

}  // namespace sac::conversation
