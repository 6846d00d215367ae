// The meeting pack (screen, PDF, CSV) and the downloads of every list, against a real PostgreSQL:
// what each role may take away, and that taking it is recorded like seeing it.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "tests/support/staff_web_fixture.h"
#include "tests/support/subprocess.h"

namespace sac::web {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class StaffReportsTest : public testing::StaffWebFixture {
 protected:
  StaffReportsTest() {
    AddUser("enlace_agua", "enlace", "jumapam");
    AddUser("directora", "director");
    clock_.Set(std::chrono::system_clock::now());
    // JUMAPAM: one overdue and unread, one unread in time, one read in time; Obras: one pending.
    db_.Execute(
        "INSERT INTO boleta (folio, channel, text, status, dependencia_id, categoria, colonia,"
        "  routed_at, due_at, unread_by_dependencia, unread_since, created_at, updated_at,"
        "  status_changed_at) VALUES "
        "('2026-000001', 'whatsapp', 'fuga grande en la esquina', 'canalizada', 'jumapam',"
        "  'fuga_agua', 'Centro', now() - interval '20 days', now() - interval '3 days', true,"
        "  now() - interval '20 days', now() - interval '20 days', now(), now()),"
        "('2026-000002', 'telegram', '=sin agua desde ayer', 'canalizada', 'jumapam', 'fuga_agua',"
        "  'Juárez', now() - interval '3 days', now() + interval '9 days', true,"
        "  now() - interval '3 days', now() - interval '3 days', now(), now()),"
        "('2026-000003', 'whatsapp', 'drenaje tapado', 'leida', 'jumapam', 'drenaje', 'Juárez',"
        "  now() - interval '2 days', now() + interval '10 days', false, NULL,"
        "  now() - interval '2 days', now(), now()),"
        "('2026-000004', 'whatsapp', 'bache enorme', 'canalizada', 'obras_publicas', NULL, 'Centro',"
        "  now(), now() + interval '14 days', true, now(), now(), now(), now())");
    enlace_ = SignIn("enlace_agua");
  }

  std::string enlace_;
};

TEST_F(StaffReportsTest, AnEnlacesMeetingPackHasItsOwnBoletasByListWithAges) {
  const auto page = Get("/reunion", enlace_);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_THAT(page.body, HasSubstr("Vencidas (1)"));
  EXPECT_THAT(page.body, HasSubstr("Sin leer (1)"));
  EXPECT_THAT(page.body, HasSubstr("Pendientes en plazo (1)"));
  EXPECT_LT(page.body.find("2026-000001"), page.body.find("2026-000002"));
  EXPECT_LT(page.body.find("2026-000002"), page.body.find("2026-000003"));
  EXPECT_THAT(page.body, HasSubstr("Fuga de agua")) << "categorías by name";
  EXPECT_THAT(page.body, Not(HasSubstr("2026-000004"))) << "another dependencia's";
  EXPECT_THAT(page.body, Not(HasSubstr(">Todas<"))) << "an enlace of one dependencia";
  EXPECT_EQ(Get("/reunion?dependencia=obras_publicas", enlace_).status, 404);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM personal_data_access WHERE route = '/reunion'"), 3);
}

TEST_F(StaffReportsTest, TheMeetingPackPrintsAsAPdfAndDownloadsAsCsv) {
  const auto pdf = Get("/reunion?dependencia=jumapam&formato=pdf", enlace_);
  ASSERT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.content_type, "application/pdf");
  EXPECT_THAT(Header(pdf, "Content-Disposition"), HasSubstr("-jumapam.pdf"));
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  const std::string text = testing::PdfText(pdf.body);
  EXPECT_THAT(text, HasSubstr("Reunión mensual · "));
  EXPECT_THAT(text, HasSubstr("Pendientes: 3"));
  EXPECT_THAT(text, HasSubstr("Sin leer: 2"));
  EXPECT_THAT(text, HasSubstr("2026-000001"));
  EXPECT_THAT(text, HasSubstr("fuga grande en la esquina"));

  const auto csv = Get("/reunion?formato=csv", enlace_);
  ASSERT_EQ(csv.status, 200);
  EXPECT_THAT(csv.body, HasSubstr("Dependencia,Lista,Folio,Estado,Categoría,Colonia"));
  EXPECT_THAT(csv.body, HasSubstr(",Vencida,2026-000001,Canalizada,Fuga de agua potable,Centro,"));
  EXPECT_THAT(csv.body, HasSubstr(",'=sin agua desde ayer")) << "never a formula";
}

TEST_F(StaffReportsTest, ADirectorTakesEveryDependenciasPackAtOnce) {
  const std::string director = SignIn("directora");
  const auto page = Get("/reunion", director);
  ASSERT_EQ(page.status, 200);
  EXPECT_THAT(page.body, HasSubstr(">Todas<"));
  EXPECT_THAT(page.body, HasSubstr("2026-000001"));
  EXPECT_THAT(page.body, HasSubstr("2026-000004"));
  const auto pdf = Get("/reunion?formato=pdf", director);
  ASSERT_EQ(pdf.status, 200);
  const std::string text = testing::PdfText(pdf.body);
  EXPECT_THAT(text, HasSubstr("2026-000004"));
  EXPECT_THAT(text, HasSubstr("Sin boletas pendientes.")) << "a dependencia with nothing pending";
}

TEST_F(StaffReportsTest, EveryListDownloadsWhatItShowsAsCsvAndXlsx) {
  const auto inbox = Get("/bandeja?formato=csv", enlace_);
  ASSERT_EQ(inbox.status, 200) << inbox.body;
  EXPECT_THAT(Header(inbox, "Content-Disposition"), HasSubstr("bandeja-jumapam.csv"));
  EXPECT_THAT(inbox.body, HasSubstr("Folio,Estado,Sin leer,Colonia,Plazo,Situación,Petición"));
  EXPECT_THAT(inbox.body, HasSubstr("2026-000001,Canalizada,sí,Centro,"));
  EXPECT_THAT(inbox.body, HasSubstr("2026-000003,Leída,no,Juárez,"));
  EXPECT_THAT(inbox.body, Not(HasSubstr("2026-000004")));
  const auto filtered = Get("/bandeja?plazo=vencida&formato=xlsx", enlace_);
  ASSERT_EQ(filtered.status, 200);
  EXPECT_EQ(filtered.body.substr(0, 2), "PK");
  EXPECT_EQ(Get("/bandeja?dependencia=obras_publicas&formato=csv", enlace_).status, 404);
  EXPECT_THAT(Get("/bandeja", enlace_).body, HasSubstr("formato=xlsx"));

  const auto found = Get("/busqueda?colonia=Ju%C3%A1rez&formato=csv", enlace_);
  ASSERT_EQ(found.status, 200);
  EXPECT_THAT(found.body, HasSubstr("Folio,Fecha,Medio,Estado,Dependencia,Colonia,Petición"));
  EXPECT_THAT(found.body, HasSubstr("2026-000002"));
  EXPECT_THAT(found.body, HasSubstr("Telegram"));

  const auto follow_up = Get("/seguimiento?formato=csv", enlace_);
  ASSERT_EQ(follow_up.status, 200);
  EXPECT_THAT(follow_up.body, HasSubstr("2026-000001,\"vencida, sin leer\""));

  const std::string staff = SignIn("capturista");
  const auto calls = Get("/validacion?formato=csv", staff);
  ASSERT_EQ(calls.status, 200);
  EXPECT_THAT(calls.body, HasSubstr("Folio,Atendida,Dependencia,Ciudadano,Teléfono"));
  EXPECT_GE(db_.Count("SELECT count(*) FROM personal_data_access WHERE route = '/bandeja'"), 3);
}

}  // namespace
}  // namespace sac::web
