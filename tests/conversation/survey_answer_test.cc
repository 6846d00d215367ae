#include "conversation/survey_answer.h"

#include <gtest/gtest.h>

namespace sac::conversation {
namespace {

std::optional<Rating> Read(std::string text, std::string payload = "") {
  InboundMessage message;
  message.text = std::move(text);
  message.reply_payload = std::move(payload);
  return ReadSurveyAnswer(message);
}

TEST(SurveyAnswerTest, ReadsButtonsAndTemplateReplies) {
  EXPECT_EQ(Read("Muy satisfecho", "ENCUESTA_2026_03|MZT-2026-000123|MUY_SATISFECHO"), Rating::kPositive);
  EXPECT_EQ(Read("Insatisfecho", "ENCUESTA_2026_03|MZT-2026-000123|INSATISFECHO"), Rating::kNegative);
  EXPECT_EQ(Read("Sí", "SI"), Rating::kPositive);
  EXPECT_EQ(Read("No", "NO"), Rating::kNegative);
}

TEST(SurveyAnswerTest, ReadsWordsNumbersAndThumbs) {
  for (const char* yes : {"Sí", "si", "SIIII", "simón", "Ya quedó, gracias", "1", "👍", "excelente",
                          "bien, gracias"}) {
    EXPECT_EQ(Read(yes), Rating::kPositive) << yes;
  }
  for (const char* no : {"No", "NO!!", "nel", "2", "👎", "pésimo", "no, sigue igual la fuga",
                         "sigue igual", "no quedó bien"}) {
    EXPECT_EQ(Read(no), Rating::kNegative) << no;
  }
  for (const char* other : {"hay una fuga en mi calle", "¿cuándo vienen?", "nomás quería preguntar",
                            "simplemente no sé", ""}) {
    EXPECT_FALSE(Read(other)) << other;
  }
}

}  // namespace
}  // namespace sac::conversation
