// A new boleta meets the classifier's reading: the reading is recorded on it (with every rule
// that fired), and when the classifier is sure the boleta is canalizada to its dependencia at
// once; otherwise it waits in the staff queue. Shared by every way a petition arrives: a
// citizen's message, the municipal app, and staff capturing a phone call or a visit.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "classify/classifier.h"
#include "core/clock.h"
#include "storage/database.h"
#include "workflow/boleta_workflow.h"
#include "workflow/boletas.h"

namespace sac::routing {

struct Routed {
  std::string dependencia_id;
  std::string name;     // as citizens read it: "JUMAPAM"
  int sla_business_days = 10;
  std::string contact;  // for `externa`: who does handle it
};

// `chosen` is a categoría the citizen picked themselves (the app's service list): it routes the
// boleta whatever the text says. nullopt when the boleta waits for staff.
std::optional<Routed> RouteNewBoleta(storage::Tx& tx, const workflow::BoletaWorkflow& workflow,
                                     const classify::RuleSet& rules,
                                     const workflow::BoletaRef& boleta,
                                     classify::Classification reading, std::string_view chosen,
                                     TimePoint now);

}  // namespace sac::routing
