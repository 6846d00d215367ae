#include "conversation/inbound_handler.h"

#include <boost/json.hpp>

#include "citizens/citizen_directory.h"
#include "conversation/replies.h"
#include "outbox/outbox_writer.h"
#include "workflow/boleta_workflow.h"
#include "workflow/boletas.h"

namespace sac::conversation {
namespace {

constexpr storage::Statement kDependencia{
    "conversation.dependencia",
    "SELECT name, sla_business_days, contact FROM dependencia WHERE id = $1"};

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

// The boleta a message continues: the one our replied-to message was about, or the one whose folio
// the message (or a template button's payload) quotes, as long as it is this citizen's.
std::optional<workflow::BoletaRef> ContinuedBoleta(storage::Tx& tx, const InboundMessage& message,
                                                   std::int64_t citizen_id) {
  if (auto replied = workflow::FindBoletaOfReply(tx, message.channel, message.context_id, citizen_id)) {
    return replied;
  }
  for (const std::string* text : {&message.reply_payload, &message.text}) {
    if (auto folio = workflow::FindFolio(*text)) {
      if (auto boleta = workflow::FindCitizensBoleta(tx, *folio, citizen_id)) {
        return boleta;
      }
    }
  }
  return std::nullopt;
}

std::string NoteText(const InboundMessage& message) {
  if (!message.text.empty()) {
    return message.text;
  }
  if (message.location) {
    return "(ubicación)";
  }
  return message.media.empty() ? "" : "(" + std::string(MessageTypeName(message.type)) + ")";
}

// The app (Open311) has no way to be written to: the citizen reads the status in the app.
bool CarriesReplies(std::string_view channel) { return channel != "open311"; }

void Enqueue(storage::Tx& tx, const outbox::NewReply& reply) {
  if (CarriesReplies(reply.channel)) outbox::EnqueueReply(tx, reply);
}

// The files of a message worth keeping: photos, voice notes, videos, documents (not stickers).
std::vector<Media> Attachments(const InboundMessage& message) {
  std::vector<Media> kept;
  for (const Media& media : message.media) {
    if (media.kind == MessageType::kImage || media.kind == MessageType::kAudio ||
        media.kind == MessageType::kVideo || media.kind == MessageType::kDocument) {
      kept.push_back(media);
    }
  }
  return kept;
}

}  // namespace

std::string InboundHandler::ClassifyAndRoute(storage::Tx& tx, const workflow::BoletaRef& boleta,
                                             const std::string& text,
                                             std::string_view chosen_categoria, TimePoint now) {
  const auto classifier = classifiers_.Current();
  const classify::Categoria* chosen = nullptr;
  for (const classify::Categoria& categoria : classifier->rules().categorias()) {
    if (!chosen_categoria.empty() && categoria.id == chosen_categoria) chosen = &categoria;
  }
  if (text.empty() && chosen == nullptr) {
    return BoletaRegistered(boleta.folio);  // a photo or a pin alone: staff read it
  }
  classify::Classification c = classifier->Classify(text);
  std::string json = c.ToJson();
  if (chosen != nullptr) {
    // The citizen picked the categoría in the app: that routes it. The machine's reading stays
    // in the record (and a disagreement is worth a look when staff review corrections).
    boost::json::object record_json = boost::json::parse(json).as_object();
    record_json["categoria_elegida"] = chosen->id;
    json = boost::json::serialize(record_json);
    c.categoria = chosen->id;
    c.dependencia = chosen->dependencia;
    c.priority = chosen->priority;
    c.confidence = 1.0;
    c.needs_review = false;
    if (c.intent != "peticion") c.intent = "peticion";
  }
  workflow::ClassificationRecord record;
  record.intent = c.intent;
  record.categoria = c.categoria;
  record.dependencia = c.dependencia;
  record.colonia = c.colonia ? c.colonia->name : "";
  record.colonia_postal_code = c.colonia ? c.colonia->postal_code : "";
  record.address = c.address;
  record.priority = c.priority;
  record.confidence = c.confidence;
  record.needs_review = c.needs_review;
  record.json = json;
  workflow::RecordClassification(tx, boleta.id, record, now);
  if (c.needs_review || c.dependencia.empty()) {
    return BoletaRegistered(boleta.folio);
  }
  workflow::StatusChange route;
  route.to = workflow::BoletaStatus::kCanalizada;
  route.dependencia_id = c.dependencia;
  if (!workflow_.ChangeStatus(tx, workflow::Actor::System(), boleta.id, route)) {
    return BoletaRegistered(boleta.folio);  // e.g. an inactive dependencia: staff decide
  }
  const auto dependencia = tx.Exec(kDependencia, {c.dependencia});
  const std::string name = dependencia.empty() ? c.dependencia : dependencia.at(0).Text(0);
  if (c.dependencia == "externa") {
    return BoletaExternal(boleta.folio, dependencia.empty() ? "" : dependencia.at(0).Text(2));
  }
  return BoletaRouted(boleta.folio, name,
                      dependencia.empty() ? 10 : static_cast<int>(dependencia.at(0).Int(1)));
}

ProcessOutcome InboundHandler::Handle(storage::Tx& tx, std::int64_t inbox_id,
                                      const InboundMessage& message) {
  const TimePoint now = clock_.Now();
  switch (message.type) {
    case MessageType::kReaction:
      return ProcessOutcome::Ignored("reaction");
    case MessageType::kSticker:
      return ProcessOutcome::Ignored("sticker");
    case MessageType::kAutoReply:
      return ProcessOutcome::Ignored("automatic reply (out of office): answering it would loop");
    default:
      break;
  }

  const citizens::ResolvedCitizen citizen = citizens::Resolve(tx, message);

  switch (message.type) {
    case MessageType::kBlocked:
      citizens::MarkBlocked(tx, message.channel, message.sender_id);
      return ProcessOutcome::Processed("the citizen blocked us on this channel");
    case MessageType::kUnblocked:
      return ProcessOutcome::Processed("the citizen allowed us again");
    case MessageType::kStart:
      Enqueue(tx, ReplyTo(message, citizen.id, inbox_id, now, "bienvenida", Welcome()));
      return ProcessOutcome::Processed("welcome sent");
    case MessageType::kEdit:
    case MessageType::kUnsent: {
      // The boleta keeps what was received (it is the record); the change is noted on it.
      const auto boleta =
          workflow::FindBoletaOfMessage(tx, message.channel, message.edit_of, citizen.id);
      if (!boleta) {
        return ProcessOutcome::Ignored("changes a message that is on no boleta");
      }
      const bool edit = message.type == MessageType::kEdit;
      workflow::AddCitizenNote(
          tx, boleta->id,
          edit ? "(corrigió su mensaje) " + message.text : "(borró su mensaje original)",
          edit ? "edicion" : "mensaje_borrado", now);
      return ProcessOutcome::Processed(std::string(edit ? "edit" : "unsend") +
                                       " noted on boleta " + boleta->folio);
    }
    default:
      break;
  }

  if (message.type == MessageType::kContacts && !message.sender_phone.empty()) {
    Enqueue(tx, ReplyTo(message, citizen.id, inbox_id, now, "telefono_vinculado",
                                     PhoneLinked()));
    return ProcessOutcome::Processed("the citizen's own phone linked");
  }
  if (message.type == MessageType::kUnsupported || message.type == MessageType::kContacts) {
    Enqueue(tx, ReplyTo(message, citizen.id, inbox_id, now, "tipo_no_soportado",
                                     UnsupportedMessage()));
    return ProcessOutcome::Processed("unsupported message answered");
  }

  // A later word about one of the citizen's own boletas is a note on it, not a new boleta.
  if (auto continued = ContinuedBoleta(tx, message, citizen.id)) {
    workflow::AttachToBoleta(tx, continued->id, Attachments(message), message.text,
                             message.location);
    const bool survey = message.type == MessageType::kTemplateButton;
    workflow::AddCitizenNote(tx, continued->id, NoteText(message),
                             survey ? "respuesta_plantilla" : "mensaje", now);
    outbox::NewReply reply =
        ReplyTo(message, citizen.id, inbox_id, now, "nota_agregada", NoteAdded(continued->folio));
    reply.boleta_id = continued->id;
    Enqueue(tx, reply);
    return ProcessOutcome::Processed("note added to boleta " + continued->folio);
  }
  if (message.type == MessageType::kTemplateButton) {
    return ProcessOutcome::Ignored("template reply for none of the citizen's boletas");
  }

  workflow::NewBoleta request;
  request.channel = message.channel;
  request.citizen_id = citizen.id;
  request.source_inbox_id = inbox_id;
  request.text = message.text;
  request.location = message.location;
  request.media = Attachments(message);
  const workflow::BoletaRef boleta = workflow::CreateBoleta(tx, request, now);
  outbox::NewReply reply = ReplyTo(message, citizen.id, inbox_id, now, "acuse_boleta",
                                   ClassifyAndRoute(tx, boleta, message.text, message.reply_payload, now));
  reply.boleta_id = boleta.id;
  Enqueue(tx, reply);
  return ProcessOutcome::Processed("boleta " + boleta.folio + " created");
}

}  // namespace sac::conversation
