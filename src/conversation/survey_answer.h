// The monthly satisfaction survey asks "¿quedó resuelto?": this reads the citizen's answer the
// many ways it comes back — a template or button tap (MUY_SATISFECHO, SATISFECHO, INSATISFECHO,
// SI, NO), or words: "sí", "simón", "1", "👍", "ya quedó", "no", "nel", "2", "👎", "pésimo",
// "sigue igual". Anything else is not an answer (the conversation goes on as usual).
#pragma once

#include <optional>
#include <string_view>

#include "core/inbound.h"

namespace sac::conversation {

enum class Rating { kPositive, kNegative };  // calificación positiva / negativa

std::optional<Rating> ReadSurveyAnswer(const InboundMessage& message);

}  // namespace sac::conversation
