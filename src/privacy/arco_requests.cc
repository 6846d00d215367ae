#include "privacy/arco_requests.h"

#include <array>
#include <algorithm>

namespace sac::privacy {
namespace {

using storage::Param;
using storage::Statement;
using workflow::Date;
using workflow::FormatDate;

constexpr std::array<std::string_view, 4> kKinds = {"acceso", "rectificacion", "cancelacion",
                                                     "oposicion"};

constexpr Statement kOpen{
    "arco.open",
    "INSERT INTO arco_request (kind, citizen_id, received_on, due_on, warn_on, registered_by) "
    "VALUES ($1, $2, $3::date, $4::date, $5::date, $6) RETURNING id"};

constexpr Statement kFind{
    "arco.find",
    "SELECT id, kind, citizen_id, received_on::text, due_on::text, warn_on::text,"
    "  extended_at IS NOT NULL, closed_at IS NOT NULL FROM arco_request WHERE id = $1 FOR UPDATE"};

constexpr Statement kExtend{
    "arco.extend",
    "UPDATE arco_request SET due_on = $2::date, warn_on = $3::date, extended_at = $4,"
    "  extension_reason = $5, extended_by = $6 WHERE id = $1"};

constexpr Statement kClose{
    "arco.close",
    "UPDATE arco_request SET closed_at = $2, outcome = $3, reason = $4, closed_by = $5,"
    "  citizen_id = coalesce(citizen_id, $6) WHERE id = $1"};

constexpr Statement kOpenOnes{
    "arco.open_ones",
    "SELECT id, kind, citizen_id, received_on::text, due_on::text, warn_on::text,"
    "  extended_at IS NOT NULL FROM arco_request WHERE closed_at IS NULL ORDER BY due_on, id"};

bool KnownKind(std::string_view kind) {
  return std::find(kKinds.begin(), kKinds.end(), kind) != kKinds.end();
}

Date DateOf(const std::string& text) { return workflow::ParseDate(text).value_or(Date{}); }

// Columns id, kind, citizen_id, received_on, due_on, warn_on, extended (kFind and kOpenOnes).
ArcoRequest RequestOf(const storage::Row& row) {
  ArcoRequest request;
  request.id = row.Int(0);
  request.kind = row.Text(1);
  request.citizen_id = row.OptInt(2);
  request.received_on = DateOf(row.Text(3));
  request.due_on = DateOf(row.Text(4));
  request.warn_on = DateOf(row.Text(5));
  request.extended = row.Bool(6);
  return request;
}

struct Found {
  ArcoRequest request;
  bool closed = false;
};

Result<Found> FindForUpdate(storage::Tx& tx, std::int64_t id) {
  const auto rows = tx.Exec(kFind, {id});
  if (rows.empty()) {
    return MakeError(Errc::kNotFound, "no hay solicitud ARCO " + std::to_string(id));
  }
  const auto row = rows.at(0);
  return Found{RequestOf(row), row.Bool(7)};
}

Date WarnOn(const workflow::BusinessCalendar& calendar, Date due_on) {
  return calendar.AddBusinessDays(due_on, -kArcoDueSoonBusinessDays);
}

}  // namespace

Result<ArcoRequest> OpenArcoRequest(storage::Tx& tx, const workflow::BusinessCalendar& calendar,
                                    std::string_view kind, std::optional<std::int64_t> citizen_id,
                                    Date received_on, Date today, const std::string& actor) {
  if (!KnownKind(kind)) {
    return MakeError(Errc::kInvalidArgument,
                     "tipo de solicitud desconocido (acceso, rectificacion, cancelacion, oposicion)");
  }
  if (received_on > today) {
    return MakeError(Errc::kInvalidArgument, "la fecha de recepción es posterior a hoy");
  }
  ArcoRequest request;
  request.kind = std::string(kind);
  request.citizen_id = citizen_id;
  request.received_on = received_on;
  // The day it arrives does not count, as with a boleta's deadline (workflow/sla.h).
  request.due_on = calendar.AddBusinessDays(received_on, kArcoAnswerBusinessDays);
  request.warn_on = WarnOn(calendar, request.due_on);
  request.id = tx.Exec(kOpen, {request.kind, citizen_id ? Param(*citizen_id) : Param(std::nullopt),
                               FormatDate(received_on), FormatDate(request.due_on),
                               FormatDate(request.warn_on), actor})
                   .at(0)
                   .Int(0);
  return request;
}

Result<ArcoRequest> ExtendArcoRequest(storage::Tx& tx, const workflow::BusinessCalendar& calendar,
                                      std::int64_t id, const std::string& reason,
                                      const std::string& actor, Date today, TimePoint now) {
  auto found = FindForUpdate(tx, id);
  if (!found) return found.error();
  if (found->closed) return MakeError(Errc::kConflict, "la solicitud ya está cerrada");
  if (found->request.extended) {
    return MakeError(Errc::kConflict, "la solicitud ya fue ampliada una vez (la ley permite una)");
  }
  if (today > found->request.due_on) {
    return MakeError(Errc::kConflict,
                     "la solicitud venció el " + FormatDate(found->request.due_on) +
                         ": la ampliación se decide dentro del plazo");
  }
  if (reason.empty()) return MakeError(Errc::kInvalidArgument, "la ampliación necesita su motivo");
  ArcoRequest request = found->request;
  request.due_on = calendar.AddBusinessDays(request.due_on, kArcoExtensionBusinessDays);
  request.warn_on = WarnOn(calendar, request.due_on);
  request.extended = true;
  tx.Exec(kExtend, {id, FormatDate(request.due_on), FormatDate(request.warn_on), now, reason, actor});
  return request;
}

Status RefuseArcoRequest(storage::Tx& tx, std::int64_t id, const std::string& reason,
                         const std::string& actor, TimePoint now) {
  auto found = FindForUpdate(tx, id);
  if (!found) return found.error();
  if (found->closed) return MakeError(Errc::kConflict, "la solicitud ya está cerrada");
  if (reason.empty()) return MakeError(Errc::kInvalidArgument, "la improcedencia necesita su motivo");
  tx.Exec(kClose, {id, now, "improcedente", reason, actor, Param(std::nullopt)});
  return {};
}

Status CarryOutArcoRequest(storage::Tx& tx, std::int64_t id, std::string_view kind,
                           std::int64_t citizen_id, const std::string& actor, TimePoint now) {
  auto found = FindForUpdate(tx, id);
  if (!found) return found.error();
  if (found->closed) return MakeError(Errc::kConflict, "la solicitud ya está cerrada");
  if (found->request.kind != kind) {
    return MakeError(Errc::kConflict, "la solicitud " + std::to_string(id) + " es de " +
                                          found->request.kind + ", no de " + std::string(kind));
  }
  if (found->request.citizen_id && *found->request.citizen_id != citizen_id) {
    return MakeError(Errc::kConflict,
                     "la solicitud " + std::to_string(id) + " es de otro ciudadano");
  }
  tx.Exec(kClose, {id, now, "atendida", "", actor, citizen_id});
  return {};
}

ArcoStanding StandingOf(const ArcoRequest& request, Date today) {
  if (today > request.due_on) return ArcoStanding::kOverdue;
  if (today >= request.warn_on) return ArcoStanding::kDueSoon;
  return ArcoStanding::kOnTime;
}

std::vector<OpenArcoCase> OpenArcoRequests(storage::Tx& tx,
                                           const workflow::BusinessCalendar& calendar, Date today) {
  std::vector<OpenArcoCase> cases;
  const auto rows = tx.Exec(kOpenOnes);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows[i];
    OpenArcoCase open;
    open.request = RequestOf(row);
    open.standing = StandingOf(open.request, today);
    open.business_days_left = calendar.BusinessDaysBetween(today, open.request.due_on);
    cases.push_back(std::move(open));
  }
  return cases;
}

}  // namespace sac::privacy
