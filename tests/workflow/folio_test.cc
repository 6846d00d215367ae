#include "workflow/folio.h"

#include <gtest/gtest.h>

namespace sac::workflow {
namespace {

TEST(FolioTest, FormatsYearAndSixDigits) {
  EXPECT_EQ(FormatFolio({2026, 1}), "2026-000001");
  EXPECT_EQ(FormatFolio({2026, 123456}), "2026-123456");
}

TEST(FolioTest, FindsFoliosTheWayPeopleWriteThem) {
  struct Case {
    const char* text;
    int year;
    int number;
  };
  const Case cases[] = {
      {"2026-000123", 2026, 123},
      {"ENCUESTA_2026_03|MZT-2026-000123|MUY_SATISFECHO", 2026, 123},
      {"como va mi folio 2026-45 porfa", 2026, 45},
      {"folio:2025-999999.", 2025, 999999},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto folio = FindFolio(c.text);
    ASSERT_TRUE(folio);
    EXPECT_EQ(folio->year, c.year);
    EXPECT_EQ(folio->number, c.number);
  }
}

TEST(FolioTest, IgnoresThingsThatAreNotFolios) {
  for (const char* text : {"", "hola", "tel 669-123-4567", "12026-000123", "2026-0000001",
                           "2026-000000", "1999-000001", "calle 2026-"}) {
    SCOPED_TRACE(text);
    EXPECT_FALSE(FindFolio(text));
  }
}

}  // namespace
}  // namespace sac::workflow
