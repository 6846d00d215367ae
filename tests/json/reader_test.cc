#include "json/reader.h"

#include <gtest/gtest.h>

namespace sac::json {
namespace {

TEST(ReaderTest, ReadsFieldsWithoutThrowing) {
  auto root = Parse(R"({"a":"x","n":42,"s":"1773159323","f":23.5,"b":true,"arr":[1,2]})");
  ASSERT_TRUE(root);
  EXPECT_EQ(String(*root, "a"), "x");
  EXPECT_EQ(Integer(*root, "n"), 42);
  EXPECT_EQ(Integer(*root, "s"), 1773159323);  // WhatsApp's timestamps are strings
  EXPECT_EQ(Number(*root, "f"), 23.5);
  EXPECT_EQ(Number(*root, "n"), 42.0);
  EXPECT_EQ(Bool(*root, "b"), true);
  EXPECT_TRUE(Array(*root, "arr"));
  EXPECT_FALSE(String(*root, "n"));
  EXPECT_FALSE(String(*root, "missing"));
  EXPECT_FALSE(Integer(*root, "a"));
}

TEST(ReaderTest, RejectsMalformedJson) {
  auto root = Parse(R"({"a": )");
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().code, Errc::kInvalidArgument);
}

TEST(ReaderTest, RejectsDeepNestingWithoutOverflowingTheStack) {
  const std::string deep(100000, '[');
  auto root = Parse(deep + std::string(100000, ']'));
  ASSERT_FALSE(root);
  EXPECT_EQ(root.error().code, Errc::kInvalidArgument);
}

TEST(ReaderTest, AcceptsNestingUpToTheLimit) {
  const std::size_t depth = kMaxDepth - 1;
  EXPECT_TRUE(Parse(std::string(depth, '[') + std::string(depth, ']')));
}

TEST(ReaderTest, RejectsInvalidUtf8) {
  EXPECT_FALSE(Parse("{\"a\":\"\xff\"}"));
}

TEST(ReaderTest, RejectsLoneSurrogateEscapes) {
  EXPECT_FALSE(Parse(R"({"a":"\ud800"})"));
  EXPECT_FALSE(Parse(R"({"a":"\udc00"})"));
  EXPECT_FALSE(Parse(R"({"a":"\ud800\u0041"})"));
  ASSERT_TRUE(Parse(R"({"a":"\ud83d\udea8"})")) << "a pair is one character (🚨)";
}

TEST(ReaderTest, DuplicateKeysReadTheFirstValue) {
  auto root = Parse(R"({"id":"a","id":"b"})");
  ASSERT_TRUE(root);
  EXPECT_EQ(String(*root, "id"), "a");
}

TEST(ReaderTest, CleanTextDropsNulCharacters) {
  EXPECT_EQ(CleanText(std::string("a\0b", 3)), "ab");
}

}  // namespace
}  // namespace sac::json
