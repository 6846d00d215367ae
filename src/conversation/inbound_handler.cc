#include "conversation/inbound_handler.h"

#include <algorithm>

#include <re2/re2.h>

#include "citizens/citizen_directory.h"
#include "conversation/curp.h"
#include "conversation/folio_status.h"
#include "conversation/replies.h"
#include "conversation/survey_answer.h"
#include "routing/route_boleta.h"
#include "workflow/folio.h"

namespace sac::conversation {
namespace {

using storage::Statement;

// A boleta's folio and the dependencia it is about (routed, or the machine's reading).
constexpr Statement kBoletaBrief{
    "conversation.boleta_brief",
    "SELECT folio, coalesce(dependencia_id, classification->>'dependencia', '') FROM boleta "
    "WHERE id = $1"};

// The citizen's latest boleta, for a survey-like answer that names none.
// The citizen's survey still waiting for an answer (the one about `$3`'s folio when the answer
// names it), the newest first. $2: asked after this instant.
constexpr Statement kPendingSurvey{
    "conversation.pending_survey",
    "SELECT s.boleta_id, b.folio, coalesce(d.name, 'la dependencia') FROM survey s"
    "  JOIN boleta b ON b.id = s.boleta_id LEFT JOIN dependencia d ON d.id = b.dependencia_id "
    "WHERE s.citizen_id = $1 AND s.answer IS NULL AND s.sent_at > $2"
    "  AND ($3 = '' OR b.folio = $3) "
    "ORDER BY s.sent_at DESC LIMIT 1"};

constexpr Statement kRecordSurveyAnswer{
    "conversation.record_survey_answer",
    "UPDATE survey SET answer = $2, answer_text = nullif($3, ''), answered_at = $4 "
    "WHERE boleta_id = $1 AND answer IS NULL"};

// $1 citizen, $2 since: the folios of their petitions held for staff since then.
constexpr Statement kHeldFolios{
    "conversation.held_folios",
    "SELECT b.folio FROM boleta_event e JOIN boleta b ON b.id = e.boleta_id "
    "WHERE e.kind = 'retenida' AND b.citizen_id = $1 AND e.at > $2 ORDER BY b.id LIMIT 21"};

constexpr Statement kLatestBoleta{
    "conversation.latest_boleta",
    "SELECT id, folio FROM boleta WHERE citizen_id = $1 ORDER BY created_at DESC LIMIT 1"};

// The app (Open311) cannot be written to: the citizen reads the status in the app.
bool CarriesReplies(std::string_view channel) { return channel != "open311"; }

// Chat channels, where a report often comes in pieces (text, then photo, then pin) and SAC can
// ask back. An app request or an e-mail is one complete message.
bool IsChat(std::string_view channel) {
  return channel == "whatsapp" || channel == "telegram" || channel == "messenger" ||
         channel == "instagram" || channel == "twilio_sms";
}

// Channels where a citizen can send a location pin.
bool CanSendPin(std::string_view channel) {
  return channel == "whatsapp" || channel == "telegram" || channel == "messenger";
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

// An attachment that never reached us whole (a mail over the size limit): the citizen is told.
bool SomeFileTooLarge(const InboundMessage& message) {
  return std::any_of(message.media.begin(), message.media.end(),
                     [](const Media& media) { return media.too_large; });
}

std::string NoteText(const InboundMessage& message) {
  if (!message.text.empty()) return message.text;
  if (message.location) return "(ubicación)";
  return message.media.empty() ? "" : "(" + std::string(MessageTypeName(message.type)) + ")";
}

// The boleta a message continues: the one our replied-to message was about, or the one whose
// folio the message (or a template button's payload) quotes, as long as it is this citizen's.
std::optional<workflow::BoletaRef> ContinuedBoleta(storage::Tx& tx, const InboundMessage& message,
                                                   std::int64_t citizen_id) {
  if (auto replied =
          workflow::FindBoletaOfReply(tx, message.channel, message.context_id, citizen_id)) {
    return replied;
  }
  for (const std::string* text : {&message.reply_payload, &message.text}) {
    if (auto folio = workflow::FindFolio(*text)) {
      if (auto boleta = workflow::FindCitizensBoleta(tx, *folio, citizen_id)) return boleta;
    }
  }
  return std::nullopt;
}

bool NamesAPlace(const classify::Classification& reading) {
  return reading.colonia.has_value() || !reading.address.empty();
}

// What a treasury clerk needs to look up a balance: a clave catastral (long digit groups) or
// a licence plate (letters and digits).
bool CarriesAccountData(std::string_view text) {
  static const RE2 kClave(R"(\b(\d{2,4}[- ]?\d{2,4}[- ]?\d{2,4}[- ]?\d{0,4})\b)");
  static const RE2 kPlacas(R"(\b[A-Za-z]{3}[- ]?\d{2,4}[- ]?[A-Za-z]?\b)");
  re2::StringPiece clave;
  if (RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), kClave, &clave)) {
    std::size_t digits = 0;
    for (const char c : clave) digits += c >= '0' && c <= '9';
    if (digits >= 8) return true;
  }
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), kPlacas);
}

}  // namespace

struct InboundHandler::Turn {
  std::int64_t inbox_id = 0;
  const InboundMessage& message;
  TimePoint now;
  std::int64_t citizen_id = 0;
  ConversationState state;
  std::shared_ptr<const classify::Classifier> classifier;
  std::optional<classify::Classification> reading;  // of the text, when there is text
  std::vector<outbox::NewReply> replies;
  // Set when the petition this turn created waits for staff (HoldForStaff): the outcome to report,
  // and no acknowledgement of the usual kind is sent.
  std::optional<ProcessOutcome> held;

  std::string Intent() const { return reading ? reading->intent : "peticion"; }
  // A colonia, a street or a pin: somewhere a crew can go.
  bool Placed() const { return message.location || (reading && NamesAPlace(*reading)); }
};

void InboundHandler::Reply(Turn& turn, std::string purpose, std::string body,
                           std::optional<std::int64_t> boleta_id) {
  if (!CarriesReplies(turn.message.channel)) return;
  outbox::NewReply reply;
  reply.channel = turn.message.channel;
  reply.account_id = turn.message.account_id;
  reply.recipient = turn.message.sender_id;
  reply.citizen_id = turn.citizen_id;
  reply.source_inbox_id = turn.inbox_id;
  reply.boleta_id = boleta_id;
  reply.purpose = std::move(purpose);
  reply.body = std::move(body);
  reply.not_before = turn.now;
  turn.replies.push_back(std::move(reply));
}

void InboundHandler::Finish(storage::Tx& tx, Turn& turn) {
  if (!turn.replies.empty() && turn.state.privacy_version != config_.privacy_version) {
    // With the first reply, never alone: the citizen reads it next to what they asked for.
    turn.replies.front().body += "\n\n" + PrivacyNotice(config_.privacy_url);
    turn.state.privacy_version = config_.privacy_version;
  }
  for (const outbox::NewReply& reply : turn.replies) outbox::EnqueueReply(tx, reply);
  SaveConversation(tx, turn.message.channel, turn.message.sender_id, turn.state, turn.now);
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
      return ProcessOutcome::Processed(std::string(edit ? "edit" : "unsend") + " noted on boleta " +
                                       boleta->folio);
    }
    default:
      break;
  }

  Turn turn{inbox_id,
            message,
            now,
            citizen.id,
            LoadConversation(tx, message.channel, message.sender_id),
            classifiers_.Current(),
            std::nullopt,
            {},
            std::nullopt};
  ProcessOutcome outcome = ProcessOutcome::Processed("");
  if (message.type == MessageType::kStart) {
    Reply(turn, "bienvenida", Welcome());
    outcome = ProcessOutcome::Processed("welcome sent");
  } else if (message.type == MessageType::kContacts && !message.sender_phone.empty()) {
    Reply(turn, "telefono_vinculado", PhoneLinked());
    outcome = ProcessOutcome::Processed("the citizen's own phone linked");
  } else if (message.type == MessageType::kUnsupported || message.type == MessageType::kContacts) {
    Reply(turn, "tipo_no_soportado", UnsupportedMessage());
    outcome = ProcessOutcome::Processed("unsupported message answered");
  } else if (message.location &&
             !config_.area.Contains(message.location->latitude, message.location->longitude)) {
    // 0,0 from a phone without a fix, or where a visitor is: not a problem's place. A question
    // about a place stays open, and the citizen can send the right one.
    Reply(turn, "ubicacion_fuera", LocationOutsideTheArea());
    outcome = ProcessOutcome::Processed("location outside the area: not taken");
  } else {
    outcome = Converse(tx, turn);
  }
  Finish(tx, turn);
  return outcome;
}

ProcessOutcome InboundHandler::Converse(storage::Tx& tx, Turn& turn) {
  const InboundMessage& message = turn.message;
  if (!message.text.empty()) turn.reading = turn.classifier->Classify(message.text);
  const std::string intent = turn.Intent();

  if (auto answered = AnswerAwaited(tx, turn)) return *answered;
  if (auto answered = AnswerSurvey(tx, turn)) return *answered;

  // A later word about one of the citizen's own boletas is a note on it, not a new boleta.
  if (auto continued = ContinuedBoleta(tx, message, turn.citizen_id)) {
    const bool asks = intent == "consulta_folio" && message.type != MessageType::kTemplateButton;
    if (asks) {
      // "¿Qué pasó con mi folio …? sigue igual": the words go on the record and the citizen
      // gets the status.
      workflow::AddCitizenNote(tx, continued->id, message.text, "consulta", turn.now,
                               turn.inbox_id);
      return AnswerFolioQuery(tx, turn);
    }
    workflow::AttachToBoleta(tx, continued->id, message.channel, Attachments(message), message.text,
                             message.location);
    const bool survey = message.type == MessageType::kTemplateButton;
    workflow::AddCitizenNote(tx, continued->id, NoteText(message),
                             survey ? "respuesta_plantilla" : "mensaje", turn.now, turn.inbox_id);
    std::string added = NoteAdded(continued->folio);
    if (SomeFileTooLarge(message)) added += "\n\n" + AttachmentTooLarge();
    Reply(turn, "nota_agregada", added, continued->id);
    return ProcessOutcome::Processed("note added to boleta " + continued->folio);
  }
  if (message.type == MessageType::kTemplateButton) {
    return ProcessOutcome::Ignored("template reply for none of the citizen's boletas");
  }

  if (auto added = AddToBurst(tx, turn)) return *added;

  if (!turn.reading) return NewPetition(tx, turn);  // a photo, a pin, a voice note
  if (intent == "consulta_folio") return AnswerFolioQuery(tx, turn);
  if (intent == "estado_cuenta") return AccountRequest(tx, turn);
  if (intent == "curp") return CurpRequest(tx, turn);
  // A photo or a pin is something to look at, whatever its caption says.
  if (!Attachments(message).empty() || message.location) return NewPetition(tx, turn);
  if (intent == "encuesta") {
    // An answer to a question SAC asked about their last report: it goes on that report.
    const auto latest = tx.Exec(kLatestBoleta, {turn.citizen_id});
    if (!latest.empty()) {
      const std::int64_t boleta_id = latest.at(0).Int(0);
      workflow::AddCitizenNote(tx, boleta_id, message.text, "respuesta", turn.now, turn.inbox_id);
      Reply(turn, "nota_agregada", NoteAdded(latest.at(0).Text(1)), boleta_id);
      return ProcessOutcome::Processed("answer noted on boleta " + latest.at(0).Text(1));
    }
  }
  if (intent == "saludo" || intent == "otro" || intent == "encuesta") {
    // Said once in a while: a citizen typing "hola" five times gets one welcome.
    const bool recently = turn.state.otro_replied_at &&
                          turn.now - *turn.state.otro_replied_at < config_.otro_cooldown;
    if (recently) return ProcessOutcome::Ignored(intent + ": answered a moment ago");
    turn.state.otro_replied_at = turn.now;
    Reply(turn, intent == "saludo" ? "bienvenida" : "no_entendido",
          intent == "saludo" ? Welcome() : NotUnderstood());
    return ProcessOutcome::Processed(intent + " answered; no boleta");
  }
  return NewPetition(tx, turn);
}

std::optional<ProcessOutcome> InboundHandler::AnswerAwaited(storage::Tx& tx, Turn& turn) {
  ConversationState& state = turn.state;
  const InboundMessage& message = turn.message;
  if (state.IsAwaiting(Awaiting::kLocation, turn.now, config_.location_wait) &&
      state.awaiting_boleta) {
    const std::int64_t boleta_id = *state.awaiting_boleta;
    const auto brief = tx.Exec(kBoletaBrief, {boleta_id});
    state.awaiting = Awaiting::kNothing;  // asked once: whatever comes, SAC moves on
    if (brief.empty()) return std::nullopt;
    const std::string folio = brief.at(0).Text(0);
    const std::string dependencia = brief.at(0).Text(1);
    if (message.location) {
      workflow::AttachToBoleta(tx, boleta_id, message.channel, Attachments(message), message.text,
                             message.location);
      workflow::AddCitizenNote(tx, boleta_id, NoteText(message), "ubicacion", turn.now,
                               turn.inbox_id);
      Reply(turn, "ubicacion_agregada", LocationAdded(folio), boleta_id);
      return ProcessOutcome::Processed("location added to boleta " + folio);
    }
    if (turn.reading && NamesAPlace(*turn.reading) &&
        (turn.reading->categoria.empty() || turn.reading->dependencia == dependencia)) {
      const auto& reading = *turn.reading;
      workflow::FillPlace(tx, boleta_id, reading.colonia ? reading.colonia->name : "",
                          reading.colonia ? reading.colonia->postal_code : "", reading.address);
      workflow::AddCitizenNote(tx, boleta_id, message.text, "ubicacion", turn.now, turn.inbox_id);
      Reply(turn, "ubicacion_agregada", LocationAdded(folio), boleta_id);
      return ProcessOutcome::Processed("place added to boleta " + folio);
    }
    return std::nullopt;  // something else: handled as it is
  }
  if (state.IsAwaiting(Awaiting::kAccountData, turn.now, config_.data_wait) && turn.reading) {
    state.awaiting = Awaiting::kNothing;
    const workflow::BoletaRef boleta =
        OfficeRequest(tx, turn, "", "estado_cuenta", "Estado de cuenta: " + message.text);
    if (turn.held) return *turn.held;
    Reply(turn, "acuse_boleta", AccountRequestRegistered(boleta.folio), boleta.id);
    return ProcessOutcome::Processed("estado de cuenta request " + boleta.folio);
  }
  if (state.IsAwaiting(Awaiting::kCurp, turn.now, config_.data_wait) && turn.reading) {
    return CurpRequest(tx, turn);
  }
  return std::nullopt;
}

std::optional<ProcessOutcome> InboundHandler::AnswerSurvey(storage::Tx& tx, Turn& turn) {
  const InboundMessage& message = turn.message;
  const auto rating = ReadSurveyAnswer(message);
  if (!rating) return std::nullopt;
  std::string named;
  for (const std::string* text : {&message.reply_payload, &message.text}) {
    if (auto folio = workflow::FindFolio(*text); folio && named.empty()) {
      named = workflow::FormatFolio(*folio);
    }
  }
  const auto pending = tx.Exec(
      kPendingSurvey, {turn.citizen_id, turn.now - config_.survey_answer_window, named});
  if (pending.empty()) return std::nullopt;  // a "sí" to something else
  const std::int64_t boleta_id = pending.at(0).Int(0);
  const std::string folio = pending.at(0).Text(1);
  const bool positive = *rating == Rating::kPositive;
  tx.Exec(kRecordSurveyAnswer,
          {boleta_id, positive ? "positiva" : "negativa", message.text, turn.now});
  workflow::AddCitizenNote(tx, boleta_id, "(encuesta) " + message.text, "encuesta", turn.now,
                           turn.inbox_id);
  // The citizen's word settles it: validated, or back to the dependencia with a new term.
  workflow::StatusChange change;
  change.to = positive ? workflow::BoletaStatus::kValidada : workflow::BoletaStatus::kInconformidad;
  change.comment = message.text;
  const bool changed = static_cast<bool>(
      workflow_.ChangeStatus(tx, workflow::Actor::Citizen(), boleta_id, change));
  Reply(turn, "respuesta_encuesta",
        positive ? SurveyThanksResolved(folio) : SurveyThanksReopened(folio, pending.at(0).Text(2)),
        boleta_id);
  return ProcessOutcome::Processed(std::string("survey answered ") +
                                   (positive ? "positiva" : "negativa") + " for " + folio +
                                   (changed ? "" : " (status left as it was)"));
}

std::optional<ProcessOutcome> InboundHandler::AddToBurst(storage::Tx& tx, Turn& turn) {
  const ConversationState& state = turn.state;
  if (!IsChat(turn.message.channel) || !state.last_boleta_id || !state.last_boleta_at ||
      turn.now - *state.last_boleta_at > config_.burst_window) {
    return std::nullopt;
  }
  const std::string intent = turn.Intent();
  if (turn.reading && intent != "peticion" && intent != "otro" && intent != "saludo") {
    return std::nullopt;  // a question about a folio, an estado de cuenta...: not more of it
  }
  const std::int64_t boleta_id = *state.last_boleta_id;
  const auto brief = tx.Exec(kBoletaBrief, {boleta_id});
  if (brief.empty()) return std::nullopt;
  if (turn.reading && !turn.reading->categoria.empty() &&
      turn.reading->dependencia != brief.at(0).Text(1)) {
    return std::nullopt;  // another problem, for someone else: its own boleta
  }
  const InboundMessage& message = turn.message;
  workflow::AttachToBoleta(tx, boleta_id, message.channel, Attachments(message), message.text,
                             message.location);
  if (turn.reading && NamesAPlace(*turn.reading)) {
    workflow::FillPlace(tx, boleta_id, turn.reading->colonia ? turn.reading->colonia->name : "",
                        turn.reading->colonia ? turn.reading->colonia->postal_code : "",
                        turn.reading->address);
  }
  workflow::AddCitizenNote(tx, boleta_id, NoteText(message), "mensaje", turn.now, turn.inbox_id);
  // The citizen is still telling the same story: no reply to each part of it.
  turn.state.last_boleta_at = turn.now;
  if (turn.state.awaiting == Awaiting::kLocation && turn.state.awaiting_boleta == boleta_id &&
      (message.location || (turn.reading && NamesAPlace(*turn.reading)))) {
    turn.state.awaiting = Awaiting::kNothing;
  }
  return ProcessOutcome::Processed("added to boleta " + brief.at(0).Text(0) + " (same burst)");
}

ProcessOutcome InboundHandler::AnswerFolioQuery(storage::Tx& tx, Turn& turn) {
  const InboundMessage& message = turn.message;
  std::optional<workflow::Folio> folio = workflow::FindFolio(message.text);
  if (!folio) folio = workflow::FindFolio(message.reply_payload);
  if (!folio) {
    const auto open = OpenBoletasOf(tx, turn.citizen_id, local_);
    Reply(turn, "estado_folio", open.empty() ? NoOpenBoletas() : OpenBoletasList(open));
    return ProcessOutcome::Processed("open boletas listed");
  }
  const FolioLookup lookup = LookUpFolio(tx, *folio, turn.citizen_id, local_);
  const std::string shown = workflow::FormatFolio(*folio);
  if (!lookup.exists) {
    Reply(turn, "estado_folio", FolioNotFound(shown));
    return ProcessOutcome::Processed("asked about an unknown folio");
  }
  if (!lookup.theirs) {
    Reply(turn, "estado_folio", FolioNotTheirs(shown));
    return ProcessOutcome::Processed("asked about someone else's folio: refused");
  }
  Reply(turn, "estado_folio", BoletaStatusAnswer(lookup.view));
  return ProcessOutcome::Processed("status of " + shown + " answered");
}

ProcessOutcome InboundHandler::AccountRequest(storage::Tx& tx, Turn& turn) {
  if (CarriesAccountData(turn.message.text)) {
    const workflow::BoletaRef boleta =
        OfficeRequest(tx, turn, turn.reading->categoria, "estado_cuenta", turn.message.text);
    if (turn.held) return *turn.held;
    Reply(turn, "acuse_boleta", AccountRequestRegistered(boleta.folio), boleta.id);
    return ProcessOutcome::Processed("estado de cuenta request " + boleta.folio);
  }
  turn.state.awaiting = Awaiting::kAccountData;
  turn.state.asked_at = turn.now;
  Reply(turn, "pedir_datos_cuenta", AskAccountData());
  return ProcessOutcome::Processed("estado de cuenta: asked for the clave or the placas");
}

ProcessOutcome InboundHandler::CurpRequest(storage::Tx& tx, Turn& turn) {
  const std::string& text = turn.message.text;
  const bool second_try = turn.state.IsAwaiting(Awaiting::kCurp, turn.now, config_.data_wait);
  if (const auto curp = FindCurp(text)) {
    if (CheckCurp(*curp) != CurpCheck::kValid) {
      turn.state.awaiting = Awaiting::kCurp;
      turn.state.asked_at = turn.now;
      Reply(turn, second_try ? "curp_erronea_otra_vez" : "curp_erronea", CurpLooksWrong(*curp));
      return ProcessOutcome::Processed("a CURP with a wrong check digit: pointed out");
    }
  } else if (!second_try) {
    turn.state.awaiting = Awaiting::kCurp;
    turn.state.asked_at = turn.now;
    Reply(turn, "pedir_curp", AskCurp());
    return ProcessOutcome::Processed("curp: asked for the CURP or the data to make one");
  }
  // A valid CURP to correct, or the data to generate one: the office takes it from here.
  turn.state.awaiting = Awaiting::kNothing;
  const workflow::BoletaRef boleta = OfficeRequest(tx, turn, "", "curp", "Trámite CURP: " + text);
  if (turn.held) return *turn.held;
  Reply(turn, "acuse_boleta", CurpRequestRegistered(boleta.folio), boleta.id);
  return ProcessOutcome::Processed("curp request " + boleta.folio);
}

workflow::BoletaRef InboundHandler::OfficeRequest(storage::Tx& tx, Turn& turn,
                                                  std::string_view categoria,
                                                  std::string_view intent,
                                                  const std::string& text) {
  workflow::NewBoleta request;
  request.channel = turn.message.channel;
  request.citizen_id = turn.citizen_id;
  request.source_inbox_id = turn.inbox_id;
  request.text = text;
  const auto over_the_limit = CountPetition(turn);
  const workflow::BoletaRef boleta = workflow::CreateBoleta(tx, request, turn.now);
  if (over_the_limit) {
    turn.held = HoldForStaff(tx, turn, boleta, *over_the_limit);
    return boleta;
  }
  // The office's own flows: routed by the intent's dependencia (rules/intents.toml), whatever
  // words the citizen used.
  classify::Classification reading = turn.classifier->Classify(text);
  reading.intent = std::string(intent);
  reading.categoria = std::string(categoria);
  reading.dependencia.clear();
  for (const classify::Intent& known : turn.classifier->rules().intents()) {
    if (known.id == intent) reading.dependencia = known.dependencia;
  }
  reading.confidence = 1.0;
  reading.needs_review = reading.dependencia.empty();
  ClassifyAndRoute(tx, boleta, std::move(reading), "");
  turn.state.last_boleta_id = boleta.id;
  turn.state.last_boleta_at = turn.now;
  return boleta;
}

ProcessOutcome InboundHandler::NewPetition(storage::Tx& tx, Turn& turn) {
  const InboundMessage& message = turn.message;
  workflow::NewBoleta request;
  request.channel = message.channel;
  request.citizen_id = turn.citizen_id;
  request.source_inbox_id = turn.inbox_id;
  request.text = message.text;
  request.location = message.location;
  request.media = Attachments(message);
  const auto over_the_limit = CountPetition(turn);
  const workflow::BoletaRef boleta = workflow::CreateBoleta(tx, request, turn.now);
  if (over_the_limit) return HoldForStaff(tx, turn, boleta, *over_the_limit);
  std::string acknowledgement =
      turn.reading ? ClassifyAndRoute(tx, boleta, *turn.reading, message.reply_payload)
                   : BoletaRegistered(boleta.folio);  // a photo or a pin alone: staff read it
  if (SomeFileTooLarge(message)) acknowledgement += "\n\n" + AttachmentTooLarge();
  Reply(turn, "acuse_boleta", acknowledgement, boleta.id);
  turn.state.last_boleta_id = boleta.id;
  turn.state.last_boleta_at = turn.now;

  // Without a colonia, a street or a pin nobody can go fix it: flag it for staff until the
  // answer comes, and ask once on a chat (an e-mail is answered by staff, who see the flag).
  const bool placed = turn.Placed();
  if (!placed) workflow::MarkLocationMissing(tx, boleta.id);
  if (!placed && IsChat(message.channel)) {
    Reply(turn, "pedir_ubicacion", AskLocation(boleta.folio, CanSendPin(message.channel)),
          boleta.id);
    turn.state.awaiting = Awaiting::kLocation;
    turn.state.awaiting_boleta = boleta.id;
    turn.state.asked_at = turn.now;
  }
  return ProcessOutcome::Processed("boleta " + boleta.folio + " created");
}

std::optional<int> InboundHandler::CountPetition(Turn& turn) const {
  ConversationState& state = turn.state;
  if (!state.petitions_since || turn.now - *state.petitions_since >= std::chrono::hours(24)) {
    state.petitions_since = turn.now;
    state.petitions_count = 0;
  }
  ++state.petitions_count;
  if (state.petitions_count <= config_.petitions_per_day) return std::nullopt;
  return state.petitions_count;
}

// Kept, read by the rules for staff to see and flagged as usual, but routed by no machine: a
// person looks at the sender's reports together. The sender hears so at most once an hour (a bot
// gets no answer to each message), with every folio held since the last time; a file too large
// is always said (the citizen must send it again).
ProcessOutcome InboundHandler::HoldForStaff(storage::Tx& tx, Turn& turn,
                                            const workflow::BoletaRef& boleta, int petition) {
  if (turn.reading) {
    classify::Classification reading = *turn.reading;
    reading.needs_review = true;
    ClassifyAndRoute(tx, boleta, std::move(reading), "");
  }
  workflow::AppendEvent(tx, boleta.id, turn.now, "retenida", workflow::Actor::System(),
                        std::nullopt, std::nullopt,
                        "{\"motivo\":\"peticiones_en_24_horas\",\"peticiones\":" +
                            std::to_string(petition) + "}");
  if (!turn.Placed()) workflow::MarkLocationMissing(tx, boleta.id);
  turn.state.last_boleta_id = boleta.id;
  turn.state.last_boleta_at = turn.now;
  const bool told = turn.state.held_replied_at &&
                    turn.now - *turn.state.held_replied_at < config_.held_reply_cooldown;
  const bool too_large = SomeFileTooLarge(turn.message);
  if (!told) {
    const TimePoint since = turn.state.held_replied_at.value_or(turn.now - std::chrono::hours(24));
    const auto rows = tx.Exec(kHeldFolios, {turn.citizen_id, since});
    std::vector<std::string> folios;
    for (std::size_t i = 0; i < rows.size(); ++i) folios.push_back(rows.at(i).Text(0));
    std::string body = PetitionsHeld(folios);
    if (too_large) body += "\n\n" + AttachmentTooLarge();
    Reply(turn, "acuse_retenida", std::move(body), boleta.id);
    turn.state.held_replied_at = turn.now;
  } else if (too_large) {
    Reply(turn, "archivo_grande", AttachmentTooLarge(), boleta.id);
  }
  return ProcessOutcome::Processed("boleta " + boleta.folio + " held for staff: petition " +
                                   std::to_string(petition) + " in 24 hours");
}

std::string InboundHandler::ClassifyAndRoute(storage::Tx& tx, const workflow::BoletaRef& boleta,
                                             classify::Classification c,
                                             std::string_view chosen_categoria) {
  const auto routed = routing::RouteNewBoleta(tx, workflow_, classifiers_.Current()->rules(),
                                              boleta, std::move(c), chosen_categoria, clock_.Now());
  if (!routed) return BoletaRegistered(boleta.folio);
  if (routed->dependencia_id == "externa") return BoletaExternal(boleta.folio, routed->contact);
  return BoletaRouted(boleta.folio, routed->name, routed->sla_business_days);
}

}  // namespace sac::conversation
