#include "workflow/boleta_workflow.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>


#include "conversation/replies.h"
#include "outbox/outbox_writer.h"
#include "workflow/transitions.h"

namespace sac::workflow {
namespace {

// A reason of spaces and line breaks only is no reason.
bool Blank(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

using storage::Param;
using storage::Statement;
using storage::Tx;
namespace bj = boost::json;

constexpr Statement kLockBoleta{
    "workflow.lock_boleta",
    "SELECT status, coalesce(dependencia_id, ''), coalesce(categoria, ''), citizen_id,"
    "  unread_by_dependencia, folio, channel, sla_business_days,"
    "  classification->>'dependencia', confidence, classification IS NOT NULL, status_version "
    "FROM boleta WHERE id = $1 FOR UPDATE"};

constexpr Statement kDependenciaName{"workflow.dependencia_name",
                                     "SELECT name FROM dependencia WHERE id = $1"};

// The duplicates through which citizens follow a boleta: each one's citizen is told of it.
constexpr Statement kFollowersVia{"workflow.followers_via",
                                  "SELECT via_boleta FROM boleta_follower WHERE boleta_id = $1"};

constexpr Statement kCorrection{
    "workflow.correction",
    "INSERT INTO classification_correction (boleta_id, at, staff, machine_dependencia,"
    "  machine_categoria, machine_confidence, human_dependencia) "
    "VALUES ($1, $2, $3, $4,"
    "  coalesce((SELECT classification->>'categoria' FROM boleta WHERE id = $1), $5), $6, $7)"};

constexpr Statement kSlaFor{
    "workflow.sla_for",
    "SELECT coalesce(o.sla_business_days, d.sla_business_days) FROM dependencia d "
    "LEFT JOIN sla_override o ON o.dependencia_id = d.id AND o.categoria = $2 "
    "WHERE d.id = $1 AND d.active"};

// $1 id, $2 now, $3 status
constexpr Statement kSetStatus{
    "workflow.set_status",
    "UPDATE boleta SET status = $3, status_changed_at = $2, updated_at = $2,"
    "  status_version = status_version + 1 WHERE id = $1"};

// $1 id, $2 now, $3 dependencia, $4 due, $5 sla days
constexpr Statement kRoute{
    "workflow.route",
    "UPDATE boleta SET dependencia_id = $3, due_at = $4, sla_business_days = $5, routed_at = $2,"
    "  unread_by_dependencia = true, unread_since = $2, scheduled_for = NULL,"
    "  status_reason = NULL WHERE id = $1"};

constexpr Statement kReturnToQueue{
    "workflow.return_to_queue",
    "UPDATE boleta SET dependencia_id = NULL, due_at = NULL, sla_business_days = NULL,"
    "  unread_by_dependencia = false, unread_since = NULL, scheduled_for = NULL,"
    "  status_reason = $2 WHERE id = $1"};

constexpr Statement kMarkRead{
    "workflow.mark_read",
    "UPDATE boleta SET first_read_at = coalesce(first_read_at, $2),"
    "  unread_by_dependencia = false, unread_since = NULL WHERE id = $1"};

constexpr Statement kSchedule{"workflow.schedule",
                              "UPDATE boleta SET scheduled_for = $2::date WHERE id = $1"};

constexpr Statement kAttend{"workflow.attend", "UPDATE boleta SET attended_at = $2 WHERE id = $1"};

constexpr Statement kClose{
    "workflow.close",
    "UPDATE boleta SET closed_at = $2, unread_by_dependencia = false, unread_since = NULL,"
    "  status_reason = coalesce($3, status_reason) WHERE id = $1"};

// $1 id, $2 now, $3 due
constexpr Statement kDispute{
    "workflow.dispute",
    "UPDATE boleta SET inconformidades = inconformidades + 1, due_at = $3, routed_at = $2,"
    "  unread_by_dependencia = true, unread_since = $2, closed_at = NULL WHERE id = $1"};

constexpr Statement kMarkDuplicate{
    "workflow.mark_duplicate",
    "UPDATE boleta SET duplicate_of = $3, closed_at = $2 WHERE id = $1"};

constexpr Statement kReopen{
    "workflow.reopen",
    "UPDATE boleta SET duplicate_of = NULL, closed_at = NULL, status_reason = NULL,"
    "  dependencia_id = NULL, due_at = NULL WHERE id = $1"};

constexpr Statement kOriginal{
    "workflow.original",
    "SELECT folio, status, citizen_id FROM boleta WHERE id = $1 FOR UPDATE"};  // no A↔B cycles

constexpr Statement kFollow{
    "workflow.follow",
    "INSERT INTO boleta_follower (boleta_id, citizen_id, via_boleta, since) "
    "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"};

constexpr Statement kCitizenIdentity{
    "workflow.citizen_identity",
    "SELECT channel, external_id FROM citizen_identity WHERE citizen_id = $1 AND channel = $2 "
    "ORDER BY last_seen_at DESC LIMIT 1"};

constexpr Statement kNoteSource{
    "workflow.note_source", "UPDATE boleta_note SET source_inbox_id = $2 WHERE id = $1"};

constexpr Statement kInsertNote{
    "workflow.insert_note",
    "INSERT INTO boleta_note (boleta_id, author_kind, author, public, text, created_at) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id"};

constexpr Statement kRaiseUnread{
    "workflow.raise_unread",
    "UPDATE boleta SET unread_by_dependencia = true, unread_since = coalesce(unread_since, $2),"
    "  updated_at = $2 WHERE id = $1 AND dependencia_id IS NOT NULL"};

struct Locked {
  BoletaStatus status;
  std::string dependencia_id;
  std::string categoria;
  std::optional<std::int64_t> citizen_id;
  bool unread;
  std::string folio;
  std::string channel;
  std::optional<std::int64_t> sla_business_days;
  bool classified = false;                         // the rules engine looked at it
  std::optional<std::string> machine_dependencia;  // ... and chose this (none: no idea)
  std::optional<double> machine_confidence;
  int status_version = 0;
};

// The boleta, locked for the rest of the transaction, if this actor may see it at all: a
// dependencia only sees its own (another's is "not found", never "forbidden").
Result<Locked> Lock(Tx& tx, const Actor& actor, std::int64_t boleta_id) {
  const auto rows = tx.Exec(kLockBoleta, {boleta_id});
  if (rows.empty()) {
    return MakeError(Errc::kNotFound, "no existe la boleta");
  }
  const auto row = rows.at(0);
  Locked locked{*StatusFromName(row.Text(0)), row.Text(1),   row.Text(2),   row.OptInt(3),
                row.Bool(4),                  row.Text(5),   row.Text(6),   row.OptInt(7),
                row.Bool(10),                 row.OptText(8),  std::nullopt};
  if (!row.IsNull(9)) {
    locked.machine_confidence = row.Double(9);
  }
  locked.status_version = static_cast<int>(row.Int(11));
  if (actor.kind == ActorKind::kDependencia &&
      (actor.dependencia_id.empty() || locked.dependencia_id != actor.dependencia_id)) {
    return MakeError(Errc::kNotFound, "no existe la boleta");
  }
  return locked;
}

std::int64_t InsertNote(Tx& tx, std::int64_t boleta_id, const Actor& actor, bool is_public,
                        std::string_view text, TimePoint now) {
  return tx
      .Exec(kInsertNote, {boleta_id, ActorKindName(actor.kind), actor.name, is_public, text, now})
      .at(0)
      .Int(0);
}

// Tells the citizen of a duplicate which folio carries their petition now.
void NotifyDuplicate(Tx& tx, const Locked& duplicate, std::int64_t duplicate_id,
                     const std::string& original_folio, TimePoint now) {
  if (!duplicate.citizen_id) {
    return;  // captured by staff without a channel identity
  }
  const auto identity = tx.Exec(kCitizenIdentity, {*duplicate.citizen_id, duplicate.channel});
  if (identity.empty()) {
    return;
  }
  outbox::NewReply reply;
  reply.channel = identity.at(0).Text(0);
  reply.recipient = identity.at(0).Text(1);
  reply.citizen_id = duplicate.citizen_id;
  reply.boleta_id = duplicate_id;
  reply.purpose = "aviso_duplicada";
  reply.body = conversation::MarkedDuplicate(duplicate.folio, original_folio);
  reply.not_before = now;
  outbox::EnqueueReply(tx, reply);
}

// The citizen (and whoever follows the boleta) hears of the changes that matter to them: it was
// scheduled, attended, or does not proceed. The notice is queued in the same transaction.
void NotifyStatusChange(Tx& tx, const Locked& boleta, std::int64_t boleta_id,
                        std::string_view action, const StatusChange& change, TimePoint now) {
  std::string body;
  std::string dependencia;
  if (const auto name = tx.Exec(kDependenciaName, {boleta.dependencia_id}); !name.empty()) {
    dependencia = name.at(0).Text(0);
  }
  // What an approved template may say when free text cannot be sent (WhatsApp after 24 hours).
  outbox::TemplateParams params{{"folio", boleta.folio}, {"dependencia", dependencia}};
  if ((action == "programar" || action == "reprogramar") && change.scheduled_for) {
    const std::chrono::year_month_day day(*change.scheduled_for);
    const std::string date = conversation::SpanishDate(static_cast<int>(day.year()),
                                                       static_cast<unsigned>(day.month()),
                                                       static_cast<unsigned>(day.day()));
    body = conversation::ScheduledNotice(boleta.folio, dependencia, date);
    params.emplace_back("fecha", date);
  } else if (action == "atender") {
    body = conversation::AttendedNotice(boleta.folio, dependencia);
  } else if (action == "no_procede") {
    body = conversation::NotProceedingNotice(boleta.folio, change.comment);
    params.emplace_back("motivo", change.comment);
  } else {
    return;
  }
  const std::string purpose = "aviso_" + std::string(action);
  outbox::EnqueueToBoletaCitizen(tx, boleta_id, purpose, body, params, now);
  const auto followers = tx.Exec(kFollowersVia, {boleta_id});
  for (std::size_t i = 0; i < followers.size(); ++i) {
    outbox::EnqueueToBoletaCitizen(tx, followers[i].Int(0), purpose, body, params, now);
  }
}

}  // namespace

Result<ChangeResult> BoletaWorkflow::ChangeStatus(Tx& tx, const Actor& actor,
                                                  std::int64_t boleta_id,
                                                  const StatusChange& change) const {
  auto locked = Lock(tx, actor, boleta_id);
  if (!locked) {
    return locked.error();
  }
  if (change.seen_version && *change.seen_version != locked->status_version) {
    // Checked before the transition table: "ya está canalizada" would hide that someone else
    // just decided on it.
    return MakeError(Errc::kStale, "la boleta cambió de estado mientras la veías (ahora está " +
                                       std::string(StatusName(locked->status)) +
                                       "); revísala antes de decidir");
  }
  auto transition = FindTransition(locked->status, change.to);
  if (!transition) {
    return transition.error();
  }
  if (change.scheduled_for && change.to != BoletaStatus::kProgramada) {
    // Said rather than ignored: a client that sent one believes it scheduled something.
    return MakeError(Errc::kInvalidArgument, "una fecha solo se da al programar");
  }
  const std::string action(transition->action);
  if (!transition->AllowedFor(actor.kind)) {
    return MakeError(Errc::kPermissionDenied, std::string(ActorKindName(actor.kind)) +
                                                  " no puede " + action + " una boleta");
  }
  const TimePoint now = clock_.Now();
  bj::object detail;

  if (action == "canalizar" || action == "reasignar") {
    if (change.dependencia_id.empty()) {
      return MakeError(Errc::kInvalidArgument, "falta la dependencia a la que se canaliza");
    }
    if (action == "reasignar" && change.dependencia_id == locked->dependencia_id) {
      return MakeError(Errc::kInvalidArgument, "la boleta ya está en esa dependencia");
    }
    const auto sla = tx.Exec(kSlaFor, {change.dependencia_id, locked->categoria});
    if (sla.empty()) {
      return MakeError(Errc::kInvalidArgument,
                       "no existe la dependencia activa " + change.dependencia_id);
    }
    const auto days = static_cast<int>(sla.at(0).Int(0));
    const TimePoint due = sla_.DueAt(now, days);
    tx.Exec(kRoute, {boleta_id, now, change.dependencia_id, due, days});
    // A person routing it elsewhere than the machine did (or would have) is a lesson for the
    // rules: kept as a correction that can become a golden case.
    if (actor.kind == ActorKind::kStaff && locked->classified &&
        locked->machine_dependencia != change.dependencia_id) {
      tx.Exec(kCorrection,
              {boleta_id, now, actor.name, locked->machine_dependencia,
               locked->categoria.empty() ? Param(std::nullopt) : Param(locked->categoria),
               locked->machine_confidence, change.dependencia_id});
    }
    detail["dependencia"] = change.dependencia_id;
    if (!locked->dependencia_id.empty()) {
      detail["from_dependencia"] = locked->dependencia_id;
    }
    detail["sla_business_days"] = days;
  } else if (action == "devolver") {
    if (Blank(change.comment)) {
      return MakeError(Errc::kInvalidArgument, "devolver una boleta requiere el motivo");
    }
    tx.Exec(kReturnToQueue, {boleta_id, change.comment});
    detail["from_dependencia"] = locked->dependencia_id;
  } else if (action == "abrir") {
    tx.Exec(kMarkRead, {boleta_id, now});
  } else if (action == "programar" || action == "reprogramar") {
    if (!change.scheduled_for) {
      return MakeError(Errc::kInvalidArgument, "programar requiere la fecha");
    }
    if (*change.scheduled_for < sla_.Today(now)) {
      return MakeError(Errc::kInvalidArgument, "la fecha programada ya pasó");
    }
    tx.Exec(kSchedule, {boleta_id, FormatDate(*change.scheduled_for)});
    detail["scheduled_for"] = FormatDate(*change.scheduled_for);
  } else if (action == "atender") {
    tx.Exec(kAttend, {boleta_id, now});
  } else if (action == "inconformar") {
    if (actor.kind == ActorKind::kStaff && Blank(change.comment)) {
      // Staff record it for the citizen (a phone call): the dependencia must read why.
      return MakeError(Errc::kInvalidArgument,
                       "una inconformidad anotada por el personal requiere lo que dijo el ciudadano");
    }
    // A full new term for the same dependencia (see sla.h).
    const int days = static_cast<int>(locked->sla_business_days.value_or(10));
    tx.Exec(kDispute, {boleta_id, now, sla_.DueAt(now, days)});
  } else if (action == "cerrar" || action == "validar") {
    tx.Exec(kClose, {boleta_id, now, std::nullopt});
  } else if (action == "no_procede") {
    if (Blank(change.comment)) {
      return MakeError(Errc::kInvalidArgument, "no procede requiere el motivo");
    }
    tx.Exec(kClose, {boleta_id, now, change.comment});
  } else if (action == "marcar_duplicada") {
    if (!change.duplicate_of || *change.duplicate_of == boleta_id) {
      return MakeError(Errc::kInvalidArgument, "falta la boleta original (y no puede ser ella misma)");
    }
    const auto original = tx.Exec(kOriginal, {*change.duplicate_of});
    if (original.empty()) {
      return MakeError(Errc::kInvalidArgument, "no existe la boleta original");
    }
    const auto original_status = StatusFromName(original.at(0).Text(1));
    if (original_status == BoletaStatus::kDuplicada) {
      return MakeError(Errc::kInvalidArgument,
                       "la boleta original también es duplicada: usa la suya");
    }
    const std::string original_folio = original.at(0).Text(0);
    tx.Exec(kMarkDuplicate, {boleta_id, now, *change.duplicate_of});
    if (locked->citizen_id && original.at(0).OptInt(2) != locked->citizen_id) {
      tx.Exec(kFollow, {*change.duplicate_of, *locked->citizen_id, boleta_id, now});
    }
    NotifyDuplicate(tx, *locked, boleta_id, original_folio, now);
    detail["duplicate_of"] = original_folio;
  } else if (action == "reabrir") {
    tx.Exec(kReopen, {boleta_id});
  }
  // dar_seguimiento needs nothing but the status itself.

  // Only now that every check passed: a refused change leaves nothing behind.
  if (!change.comment.empty()) {
    // Free text may name people: it goes to a (rectifiable) note, the bitácora points at it.
    detail["note_id"] = InsertNote(tx, boleta_id, actor, false, change.comment, now);
  }
  tx.Exec(kSetStatus, {boleta_id, now, StatusName(change.to)});
  AppendEvent(tx, boleta_id, now, action, actor, locked->status, change.to, bj::serialize(detail));
  NotifyStatusChange(tx, *locked, boleta_id, action, change, now);
  return ChangeResult{action, locked->status, change.to, locked->status_version + 1};
}

Status BoletaWorkflow::Open(Tx& tx, const Actor& actor, std::int64_t boleta_id) const {
  auto locked = Lock(tx, actor, boleta_id);
  if (!locked) {
    return locked.error();
  }
  if (actor.kind != ActorKind::kDependencia) {
    return {};  // only the dependencia reading it makes it "leída"
  }
  if (locked->status == BoletaStatus::kCanalizada) {
    auto opened = ChangeStatus(tx, actor, boleta_id, {BoletaStatus::kLeida, "", "", {}, {}, {}});
    if (!opened) {
      return opened.error();
    }
    return {};
  }
  if (locked->unread) {
    const TimePoint now = clock_.Now();
    tx.Exec(kMarkRead, {boleta_id, now});
    AppendEvent(tx, boleta_id, now, "leida", actor, std::nullopt, std::nullopt, "{}");
  }
  return {};
}

Result<std::int64_t> BoletaWorkflow::AddNote(Tx& tx, const Actor& actor, std::int64_t boleta_id,
                                             const std::string& text, bool is_public) const {
  auto locked = Lock(tx, actor, boleta_id);
  if (!locked) {
    return locked.error();
  }
  if (text.empty()) {
    return MakeError(Errc::kInvalidArgument, "la nota está vacía");
  }
  const TimePoint now = clock_.Now();
  const std::int64_t note_id = InsertNote(tx, boleta_id, actor, is_public, text, now);
  AppendEvent(tx, boleta_id, now, "nota", actor, std::nullopt, std::nullopt,
              bj::serialize(bj::object{{"note_id", note_id}, {"public", is_public}}));
  return note_id;
}

std::int64_t AddCitizenNote(Tx& tx, std::int64_t boleta_id, std::string_view text,
                            std::string_view via, TimePoint now,
                            std::optional<std::int64_t> source_inbox_id) {
  const Actor citizen = Actor::Citizen();
  const std::int64_t note_id = InsertNote(tx, boleta_id, citizen, true, text, now);
  if (source_inbox_id) tx.Exec(kNoteSource, {note_id, *source_inbox_id});
  tx.Exec(kRaiseUnread, {boleta_id, now});
  AppendEvent(tx, boleta_id, now, "nota_ciudadano", citizen, std::nullopt, std::nullopt,
              bj::serialize(bj::object{{"note_id", note_id}, {"via", via}}));
  return note_id;
}

}  // namespace sac::workflow
