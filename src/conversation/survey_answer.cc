#include "conversation/survey_answer.h"

#include <array>
#include <string>

#include "classify/normalizer.h"

namespace sac::conversation {
namespace {

// Whole normalised messages (or their first words) that answer yes or no.
constexpr std::array<std::string_view, 17> kYes = {
    "si", "sip", "simon", "claro", "ya", "ya quedo", "ya quedo resuelto", "quedo resuelto",
    "resuelto", "excelente", "muy bien", "bien", "1", "satisfecho", "muy satisfecho", "gracias",
    "ok"};
constexpr std::array<std::string_view, 14> kNo = {
    "no", "nel", "nop", "2", "pesimo", "mal", "muy mal", "insatisfecho", "sigue igual",
    "siguen igual", "no quedo", "no han venido", "no lo arreglaron", "no se resolvio"};

bool StartsWithWords(std::string_view text, std::string_view words) {
  return text == words || (text.size() > words.size() && text.substr(0, words.size()) == words &&
                           text[words.size()] == ' ');
}

std::optional<Rating> FromPayload(std::string_view payload) {
  // Template quick replies carry "ENCUESTA_2026_03|2026-000123|MUY_SATISFECHO".
  const std::string_view last = payload.substr(payload.rfind('|') + 1);
  if (last == "MUY_SATISFECHO" || last == "SATISFECHO" || last == "SI") return Rating::kPositive;
  if (last == "INSATISFECHO" || last == "NO") return Rating::kNegative;
  return std::nullopt;
}

}  // namespace

std::optional<Rating> ReadSurveyAnswer(const InboundMessage& message) {
  if (!message.reply_payload.empty()) {
    if (auto rating = FromPayload(message.reply_payload)) return rating;
  }
  // Emoji are dropped by the normaliser: read the thumbs first.
  if (message.text.find("\xF0\x9F\x91\x8D") != std::string::npos) return Rating::kPositive;  // 👍
  if (message.text.find("\xF0\x9F\x91\x8E") != std::string::npos) return Rating::kNegative;  // 👎
  const std::string text = classify::Normalizer::Fold(message.text);
  // "No" first: "no, sigue igual" and "no quedó bien" are noes even with "bien" in them.
  for (std::string_view words : kNo) {
    if (StartsWithWords(text, words)) return Rating::kNegative;
  }
  for (std::string_view words : kYes) {
    if (StartsWithWords(text, words)) return Rating::kPositive;
  }
  return std::nullopt;
}

}  // namespace sac::conversation
