#include "workflow/bitacora.h"

namespace sac::workflow {
namespace {

constexpr storage::Statement kInsertEvent{
    "bitacora.append",
    "INSERT INTO boleta_event (boleta_id, at, kind, actor_kind, actor, from_status, to_status,"
    "  detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb)"};

storage::Param StatusParam(std::optional<BoletaStatus> status) {
  return status ? storage::Param(StatusName(*status)) : storage::Param(std::nullopt);
}

}  // namespace

void AppendEvent(storage::Tx& tx, std::int64_t boleta_id, TimePoint at, std::string_view kind,
                 const Actor& actor, std::optional<BoletaStatus> from,
                 std::optional<BoletaStatus> to, const std::string& detail) {
  tx.Exec(kInsertEvent, {boleta_id, at, kind, ActorKindName(actor.kind), actor.name,
                         StatusParam(from), StatusParam(to), detail});
}

}  // namespace sac::workflow
