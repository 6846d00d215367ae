// The bitácora: every change and note of a boleta as an append-only event (who, when, what,
// from which status to which, and a JSON detail without personal data). The database refuses to
// update or delete it (migrations/0006_workflow.sql).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "storage/database.h"
#include "workflow/actor.h"
#include "workflow/boleta_status.h"

namespace sac::workflow {

void AppendEvent(storage::Tx& tx, std::int64_t boleta_id, TimePoint at, std::string_view kind,
                 const Actor& actor, std::optional<BoletaStatus> from,
                 std::optional<BoletaStatus> to, const std::string& detail);

}  // namespace sac::workflow
