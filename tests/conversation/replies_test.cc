// Every text SAC says to citizens, rendered: none empty, none with a placeholder left, none
// longer than a chat bubble can carry comfortably, all in the citizen's second person.
#include "conversation/replies.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

namespace sac::conversation {
namespace {

using ::testing::HasSubstr;

BoletaView View(std::string status) {
  return BoletaView{"2026-000123", std::move(status), "JUMAPAM", "10 de marzo de 2026",
                    "25 de marzo de 2026", "18 de marzo de 2026", "no es municipal", "2026-000100",
                    ""};
}

TEST(RepliesTest, EveryTemplateRendersCompletely) {
  const std::vector<std::pair<const char*, std::string>> rendered = {
      {"BoletaRegistered", BoletaRegistered("2026-000123")},
      {"BoletaRouted", BoletaRouted("2026-000123", "JUMAPAM", 10)},
      {"BoletaExternal", BoletaExternal("2026-000123", "CFE 071")},
      {"Welcome", Welcome()},
      {"PhoneLinked", PhoneLinked()},
      {"UnsupportedMessage", UnsupportedMessage()},
      {"NoteAdded", NoteAdded("2026-000123")},
      {"StaffQuestion", StaffQuestion("2026-000123", "¿Entre qué calles está la fuga?")},
      {"MarkedDuplicate", MarkedDuplicate("2026-000124", "2026-000123")},
      {"PrivacyNotice", PrivacyNotice("https://mazatlan.gob.mx/privacidad")},
      {"AskLocation pin", AskLocation("2026-000123", true)},
      {"AskLocation", AskLocation("2026-000123", false)},
      {"LocationAdded", LocationAdded("2026-000123")},
      {"FolioNotTheirs", FolioNotTheirs("2026-000123")},
      {"FolioNotFound", FolioNotFound("2026-000123")},
      {"OpenBoletasList", OpenBoletasList({View("canalizada"), View("programada")})},
      {"NoOpenBoletas", NoOpenBoletas()},
      {"AskAccountData", AskAccountData()},
      {"AccountRequestRegistered", AccountRequestRegistered("2026-000123")},
      {"AskCurp", AskCurp()},
      {"CurpLooksWrong", CurpLooksWrong("GODE561231HDFRRN09")},
      {"CurpRequestRegistered", CurpRequestRegistered("2026-000123")},
      {"NotUnderstood", NotUnderstood()},
      {"ScheduledNotice", ScheduledNotice("2026-000123", "JUMAPAM", "18 de marzo de 2026")},
      {"AttendedNotice", AttendedNotice("2026-000123", "JUMAPAM")},
      {"NotProceedingNotice", NotProceedingNotice("2026-000123", "no es municipal")},
      {"OverdueCheckIn", OverdueCheckIn("2026-000123", "JUMAPAM")},
      {"SurveyQuestion", SurveyQuestion("2026-000123", "marzo")},
      {"SurveyThanksResolved", SurveyThanksResolved("2026-000123")},
      {"SurveyThanksReopened", SurveyThanksReopened("2026-000123", "JUMAPAM")},
  };
  for (const auto& [name, text] : rendered) {
    SCOPED_TRACE(name);
    EXPECT_FALSE(text.empty());
    EXPECT_EQ(text.find('{'), std::string::npos);
    EXPECT_LE(text.size(), 700u) << "a reply is read on a phone";
    EXPECT_EQ(text.find("  "), std::string::npos);
  }
}

TEST(RepliesTest, SurveyButtonsFitWhatsAppsTwentyCharacters) {
  for (const std::string& title : {SurveyYesButton(), SurveyNoButton()}) {
    SCOPED_TRACE(title);
    EXPECT_FALSE(title.empty());
    std::size_t characters = 0;
    for (char c : title) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    EXPECT_LE(characters, 20u);
  }
}

TEST(RepliesTest, EveryStatusHasPlainWordsAndDeadlinesOnlyWhileOpen) {
  for (const char* status : {"por_clasificar", "canalizada", "leida", "programada", "en_seguimiento",
                             "atendida", "validada", "cerrada", "inconformidad", "no_procede",
                             "duplicada"}) {
    SCOPED_TRACE(status);
    const std::string text = BoletaStatusAnswer(View(status));
    EXPECT_THAT(text, HasSubstr("Tu folio 2026-000123 (del 10 de marzo de 2026): "));
    EXPECT_EQ(text.find("en trámite."), std::string::npos) << "a status without its own words";
    const bool open = std::string(status) != "atendida" && std::string(status) != "validada" &&
                      std::string(status) != "cerrada" && std::string(status) != "no_procede" &&
                      std::string(status) != "duplicada";
    EXPECT_EQ(text.find("plazo") != std::string::npos, open);
  }
  EXPECT_THAT(BoletaStatusAnswer(View("programada")), HasSubstr("para el 18 de marzo de 2026"));
  EXPECT_THAT(BoletaStatusAnswer(View("no_procede")), HasSubstr("no procede: no es municipal"));
  EXPECT_THAT(BoletaStatusAnswer(View("duplicada")), HasSubstr("folio 2026-000100"));
}

TEST(RepliesTest, DatesAreWrittenTheWayMexicansWriteThem) {
  EXPECT_EQ(SpanishDate(2026, 3, 10), "10 de marzo de 2026");
  EXPECT_EQ(SpanishDate(2026, 12, 1), "1 de diciembre de 2026");
}

}  // namespace
}  // namespace sac::conversation
