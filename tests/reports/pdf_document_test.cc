#include "reports/pdf_document.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "tests/support/subprocess.h"

namespace sac::reports {
namespace {

using ::testing::HasSubstr;

TEST(WinAnsiTest, KeepsSpanishLettersAndReplacesWhatTheFontCannotShow) {
  EXPECT_EQ(ToWinAnsi("Reunión · año ÑANDÚ ¿qué?"), "Reuni\xF3n \xB7 a\xF1o \xD1" "AND\xDA \xBFqu\xE9?");
  EXPECT_EQ(ToWinAnsi("“hola” – …"), "\x93hola\x94 \x96 \x85");
  EXPECT_EQ(ToWinAnsi("agua 💧 ok"), "agua ? ok");
  EXPECT_EQ(ToWinAnsi("roto \xC3"), "roto ?");
  EXPECT_EQ(ToWinAnsi("\xFF\xFE"), "??");
  EXPECT_EQ(ToWinAnsi("línea\nnueva\tya"), "l\xEDnea\nnueva ya") << "line breaks stay for paragraphs";
}

TEST(PdfDocumentTest, ParagraphsWrapAtWordsAndKeepEveryWord) {
  PdfDocument pdf("prueba", PdfDocument::Orientation::kPortrait);
  pdf.SetFooter("SAC · prueba");
  std::string long_text;
  for (int i = 0; i < 1000; ++i) long_text += "palabra" + std::to_string(i) + " ";
  pdf.Paragraph("Primera línea\n" + long_text);
  const auto bytes = pdf.Finish();
  ASSERT_TRUE(bytes.has_value());
  const std::string text = testing::PdfText(*bytes, /*layout=*/false);
  EXPECT_THAT(text, HasSubstr("Primera línea\npalabra0 palabra1"));
  for (const char* word : {"palabra0 ", "palabra499 ", "palabra999"}) {
    EXPECT_THAT(text, HasSubstr(word)) << "nothing lost at a line or page break";
  }
  EXPECT_THAT(text, HasSubstr("página 2")) << "it ran onto a second page";
}

}  // namespace
}  // namespace sac::reports
