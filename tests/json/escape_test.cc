#include "json/escape.h"

#include <gtest/gtest.h>

namespace sac::json {
namespace {

TEST(EscapeTest, QuotesPlainText) { EXPECT_EQ(Quote("hola"), "\"hola\""); }

TEST(EscapeTest, EscapesQuotesAndBackslashes) {
  EXPECT_EQ(Quote(R"(a"b\c)"), R"("a\"b\\c")");
}

TEST(EscapeTest, KeepsALogInjectionOnOneLine) {
  const std::string forged = "texto\n2026-01-01 INFO admin login ok\x1b[31m";
  const std::string quoted = Quote(forged);
  EXPECT_EQ(quoted.find('\n'), std::string::npos);
  EXPECT_EQ(quoted.find('\x1b'), std::string::npos);
  EXPECT_NE(quoted.find("\\n2026"), std::string::npos);
  EXPECT_NE(quoted.find("\\u001b"), std::string::npos);
}

TEST(EscapeTest, KeepsValidUtf8) { EXPECT_EQ(Quote("Juárez 🚰"), "\"Juárez 🚰\""); }

TEST(EscapeTest, ReplacesInvalidUtf8) {
  EXPECT_EQ(Quote("a\xff" "b"), "\"a\\ufffdb\"");
  EXPECT_EQ(Quote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");  // a UTF-16 surrogate
  EXPECT_EQ(Quote("\xc3"), "\"\\ufffd\"");                          // truncated sequence
}

}  // namespace
}  // namespace sac::json
