// The categoría a person picks when sending a boleta to a dependencia (the classification
// queue's canalizar, the boleta page's canalizar and reasignar): a list grouped by dependencia,
// and the rule that a boleta's categoría belongs to the dependencia that attends it — or
// statistics would count a dependencia's boleta under another's categoría.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "classify/rule_set.h"
#include "web/html.h"

namespace sac::web {

// <select name="categoria">: "— sin cambiar —" first, then each dependencia's categorías under
// its name; `selected` preselected.
Html CategoriaSelect(const classify::RuleSet& rules,
                     const std::vector<std::pair<std::string, std::string>>& dependencias,
                     std::string_view selected);

// Why the boleta may not go to `dependencia` with categoría `chosen` (empty: it keeps `kept`),
// in words for the person; nullopt when it may. An unknown chosen categoría is refused; an
// unknown kept one (rules changed since) is let through.
std::optional<std::string> CategoriaRefusal(const classify::RuleSet& rules,
                                            std::string_view dependencia, std::string_view chosen,
                                            std::string_view kept);

}  // namespace sac::web
