// The meeting pack's PDF, read back with poppler's pdftotext (as a reader would see it).
#include "reports/meeting_pack_pdf.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/subprocess.h"

namespace sac::reports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TimePoint At(int y, unsigned m, unsigned d, int h) {
  using namespace std::chrono;
  return TimePoint(sys_days(year_month_day{year{y}, month{m}, day{d}}) + hours{h});
}

MeetingBoleta Boleta(int n, workflow::Standing standing, bool unread) {
  MeetingBoleta boleta;
  char folio[16];
  std::snprintf(folio, sizeof folio, "2026-%06d", n);
  boleta.folio = folio;
  boleta.status = workflow::BoletaStatus::kLeida;
  boleta.categoria = "Fuga de agua";
  boleta.colonia = "Juárez";
  boleta.text = "Hay una fuga enorme en la esquina de Río Piaxtla y Ángel Flores desde hace días, "
                "por favor vengan pronto que se desperdicia mucha agua 💧";
  boleta.routed_at = At(2026, 11, 2, 18);
  boleta.due_at = At(2026, 11, 17, 6);
  boleta.standing = standing;
  boleta.business_days_held = 19;
  boleta.business_days_overdue = standing == workflow::Standing::kOverdue ? 9 : 0;
  boleta.unread = unread;
  boleta.business_days_unread = unread ? 4 : 0;
  return boleta;
}

class MeetingPackPdfTest : public ::testing::Test {
 protected:
  MeetingPackPdfTest() : local_(*workflow::LocalTime::Load("America/Mazatlan")) {}

  workflow::LocalTime local_;
};

TEST_F(MeetingPackPdfTest, ADependenciasPackHasItsSummaryAndItsListsWithAges) {
  MeetingPack pack{At(2026, 11, 30, 19), {}};
  MeetingSection section;
  section.dependencia_id = "jumapam";
  section.dependencia_name = "JUMAPAM (Agua Potable y Alcantarillado)";
  section.overdue.push_back(Boleta(1, workflow::Standing::kOverdue, true));
  section.unread.push_back(Boleta(2, workflow::Standing::kOnTime, true));
  section.pending.push_back(Boleta(3, workflow::Standing::kDueSoon, false));
  section.unread_total = 2;
  section.due_soon = 1;
  section.attended_this_month = 7;
  section.attended_on_time_this_month = 5;
  pack.sections.push_back(section);
  MeetingSection empty;
  empty.dependencia_id = "parques";
  empty.dependencia_name = "Parques y Jardines";
  pack.sections.push_back(empty);

  const auto pdf = MeetingPackPdf(pack, local_);
  ASSERT_TRUE(pdf.has_value());
  EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
  const std::string text = testing::PdfText(*pdf);
  EXPECT_THAT(text, HasSubstr("Reunión mensual · JUMAPAM (Agua Potable y Alcantarillado)"));
  EXPECT_THAT(text, HasSubstr("Situación al 30/11/2026 12:00"));
  EXPECT_THAT(text, HasSubstr("Pendientes: 3"));
  EXPECT_THAT(text, HasSubstr("Vencidas: 1"));
  EXPECT_THAT(text, HasSubstr("Atendidas este mes: 7 (5 en plazo)"));
  EXPECT_THAT(text, HasSubstr("Vencidas (1)"));
  EXPECT_THAT(text, HasSubstr("Sin leer (1)"));
  EXPECT_THAT(text, HasSubstr("Pendientes en plazo (1)"));
  EXPECT_THAT(text, HasSubstr("2026-000001"));
  EXPECT_THAT(text, HasSubstr("9 días"));
  EXPECT_THAT(text, HasSubstr("Leída, sin leer"));
  EXPECT_THAT(text, HasSubstr("02/11/2026"));
  EXPECT_THAT(text, HasSubstr("Juárez"));
  EXPECT_THAT(text, HasSubstr("Hay una fuga enorme")) << "the petition, cut to its column";
  EXPECT_THAT(text, Not(HasSubstr("desperdicia mucha agua"))) << "too long for one line";
  EXPECT_THAT(text, HasSubstr("Reunión mensual · Parques y Jardines"));
  EXPECT_THAT(text, HasSubstr("Sin boletas pendientes."));
  EXPECT_THAT(text, HasSubstr("página 2"));
}

TEST_F(MeetingPackPdfTest, ALongListContinuesOnNewPagesWithItsHeader) {
  MeetingPack pack{At(2026, 11, 30, 19), {}};
  MeetingSection section;
  section.dependencia_id = "obras_publicas";
  section.dependencia_name = "Obras Públicas";
  for (int n = 1; n <= 120; ++n) section.overdue.push_back(Boleta(n, workflow::Standing::kOverdue, false));
  pack.sections.push_back(section);
  const auto pdf = MeetingPackPdf(pack, local_);
  ASSERT_TRUE(pdf.has_value());
  const std::string text = testing::PdfText(*pdf);
  EXPECT_THAT(text, HasSubstr("2026-000120"));
  EXPECT_THAT(text, HasSubstr("Vencidas (120) · continúa"));
  EXPECT_THAT(text, HasSubstr("página 3"));
}

TEST_F(MeetingPackPdfTest, NoDependenciasStillMakesAReadablePdf) {
  const auto pdf = MeetingPackPdf(MeetingPack{At(2026, 11, 30, 19), {}}, local_);
  ASSERT_TRUE(pdf.has_value());
  EXPECT_THAT(testing::PdfText(*pdf), HasSubstr("No hay dependencias activas que mostrar."));
}

}  // namespace
}  // namespace sac::reports
