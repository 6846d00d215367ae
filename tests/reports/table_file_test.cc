#include "reports/table_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sac::reports {
namespace {

using ::testing::HasSubstr;

TEST(TableFileTest, CsvQuotesWhatNeedsItAndStartsWithABom) {
  const Table table{"Boletas", {"Folio", "Petición"},
                    {{"2026-000001", "fuga, \"grande\"\nfrente"}, {"2026-000002", "bache"}}};
  const std::string csv = ToCsv(table);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(3), "Folio,Petición\r\n2026-000001,\"fuga, \"\"grande\"\"\nfrente\"\r\n"
                           "2026-000002,bache\r\n");
}

TEST(TableFileTest, ACitizensTextNeverBecomesASpreadsheetFormula) {
  const Table table{"x", {"Petición"}, {{"=HYPERLINK(\"http://x\")"}, {"+52 669"}, {"-1"}, {"@SUM(A1)"}}};
  const std::string csv = ToCsv(table);
  EXPECT_THAT(csv, HasSubstr("\"'=HYPERLINK(\"\"http://x\"\")\""));
  EXPECT_THAT(csv, HasSubstr("\r\n'+52 669\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n'-1\r\n"));
  EXPECT_THAT(csv, HasSubstr("\r\n'@SUM(A1)\r\n"));
}

TEST(TableFileTest, XlsxIsAnOfficeOpenXmlFileEvenWithAnAwkwardTitle) {
  const Table table{"Bandeja de [JUMAPAM]: agua/drenaje y más cosas largas", {"Folio"},
                    {{"2026-000001"}}};
  const auto xlsx = ToXlsx(table);
  ASSERT_TRUE(xlsx.has_value()) << "an invalid sheet name makes libxlsxwriter fail";
  EXPECT_EQ(xlsx->substr(0, 2), "PK");
}

}  // namespace
}  // namespace sac::reports
