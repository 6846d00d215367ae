#include "privacy/security_breaches.h"

namespace sac::privacy {
namespace {

using storage::Statement;

constexpr Statement kRecord{
    "breach.record",
    "INSERT INTO security_breach (occurred_at, confirmed_at, recorded_by, cause, data_categories,"
    "  citizens_affected, corrective_actions) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id"};

constexpr Statement kFind{
    "breach.find",
    "SELECT notify, citizens_notified_at IS NOT NULL, authority_notified_at IS NOT NULL "
    "FROM security_breach WHERE id = $1 FOR UPDATE"};

constexpr Statement kDecide{
    "breach.decide",
    "UPDATE security_breach SET decided_at = $2, notify = $3, decision_reason = $4, decided_by = $5"
    " WHERE id = $1"};

constexpr Statement kCitizensNotified{
    "breach.citizens_notified", "UPDATE security_breach SET citizens_notified_at = $2 WHERE id = $1"};
constexpr Statement kAuthorityNotified{
    "breach.authority_notified", "UPDATE security_breach SET authority_notified_at = $2 WHERE id = $1"};

constexpr Statement kPending{
    "breach.pending",
    "SELECT id, extract(epoch FROM confirmed_at)::float8, cause, citizens_affected, notify,"
    "  citizens_notified_at IS NOT NULL,"
    "  authority_notified_at IS NOT NULL FROM security_breach"
    " WHERE notify IS NULL OR (notify AND (citizens_notified_at IS NULL OR authority_notified_at IS NULL))"
    " ORDER BY confirmed_at, id"};

struct Current {
  std::optional<bool> notify;
  bool citizens_notified = false;
  bool authority_notified = false;
};

Result<Current> Find(storage::Tx& tx, std::int64_t id) {
  const auto rows = tx.Exec(kFind, {id});
  if (rows.empty()) return MakeError(Errc::kNotFound, "no hay vulneración " + std::to_string(id));
  const auto row = rows.at(0);
  Current current;
  if (!row.IsNull(0)) current.notify = row.Bool(0);
  current.citizens_notified = row.Bool(1);
  current.authority_notified = row.Bool(2);
  return current;
}

}  // namespace

Result<std::int64_t> RecordBreach(storage::Tx& tx, const NewBreach& breach, TimePoint now) {
  if (breach.cause.empty() || breach.data_categories.empty() || breach.corrective_actions.empty() ||
      breach.actor.empty()) {
    return MakeError(Errc::kInvalidArgument,
                     "la bitácora pide el motivo, los datos afectados y las acciones correctivas");
  }
  if (breach.citizens_affected < 0) {
    return MakeError(Errc::kInvalidArgument, "el número de afectados no puede ser negativo");
  }
  if (breach.occurred_at > breach.confirmed_at) {
    return MakeError(Errc::kInvalidArgument, "se confirmó antes de ocurrir: revise las fechas");
  }
  if (breach.confirmed_at > now) {
    return MakeError(Errc::kInvalidArgument, "la fecha de confirmación es posterior a ahora");
  }
  return tx.Exec(kRecord, {breach.occurred_at, breach.confirmed_at, breach.actor, breach.cause,
                           breach.data_categories, breach.citizens_affected,
                           breach.corrective_actions})
      .at(0)
      .Int(0);
}

Status DecideBreachNotice(storage::Tx& tx, std::int64_t id, bool notify, const std::string& reason,
                          const std::string& actor, TimePoint now) {
  auto current = Find(tx, id);
  if (!current) return current.error();
  if (current->notify) return MakeError(Errc::kConflict, "esta vulneración ya tiene decisión");
  if (reason.empty()) return MakeError(Errc::kInvalidArgument, "la decisión necesita su motivo");
  tx.Exec(kDecide, {id, now, notify, reason, actor});
  return {};
}

Status RecordBreachNotice(storage::Tx& tx, std::int64_t id, Notified who, TimePoint now) {
  auto current = Find(tx, id);
  if (!current) return current.error();
  if (!current->notify || !*current->notify) {
    return MakeError(Errc::kConflict, "no se decidió notificar esta vulneración");
  }
  const bool already =
      who == Notified::kCitizens ? current->citizens_notified : current->authority_notified;
  if (already) return MakeError(Errc::kConflict, "esa notificación ya está registrada");
  tx.Exec(who == Notified::kCitizens ? kCitizensNotified : kAuthorityNotified, {id, now});
  return {};
}

std::vector<BreachStatus> PendingBreaches(storage::Tx& tx) {
  std::vector<BreachStatus> pending;
  const auto rows = tx.Exec(kPending);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto row = rows[i];
    BreachStatus status;
    status.id = row.Int(0);
    status.confirmed_at = TimePoint(std::chrono::duration_cast<TimePoint::duration>(
        std::chrono::duration<double>(row.Double(1))));
    status.cause = row.Text(2);
    status.citizens_affected = static_cast<int>(row.Int(3));
    if (!row.IsNull(4)) status.notify = row.Bool(4);
    status.citizens_notified = row.Bool(5);
    status.authority_notified = row.Bool(6);
    pending.push_back(std::move(status));
  }
  return pending;
}

}  // namespace sac::privacy
