#include "classify/rule_set.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/testdata.h"

namespace sac::classify {
namespace {

using ::testing::HasSubstr;

std::filesystem::path CopyOfTestRules(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / ("sac_rules_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::copy(testing::SourceDir() / "tests/classify/testdata/rules", dir,
                        std::filesystem::copy_options::recursive);
  return dir;
}

TEST(RuleSetTest, LoadsCompilesAndIndexesTheRules) {
  auto rules = RuleSet::Load(testing::SourceDir() / "tests/classify/testdata/rules");
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ((*rules)->categorias().size(), 4u);
  EXPECT_EQ((*rules)->intents().size(), 7u) << "intents without patterns are added";
  EXPECT_EQ((*rules)->patterns().size(), 14u);
  EXPECT_EQ((*rules)->gazetteer().size(), 13u);
  EXPECT_EQ((*rules)->thresholds().min_score, 2);
}

TEST(RuleSetTest, TheRealRulesLoad) {
  auto rules = RuleSet::Load(testing::SourceDir() / "rules");
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_GT((*rules)->categorias().size(), 30u);
}

TEST(RuleSetTest, ReportsEveryProblemWithFileAndLine) {
  const auto dir = CopyOfTestRules("broken");
  std::ofstream(dir / "categorias" / "malas.toml")
      << "[[categoria]]\n"                                              // 1
      << "id = \"fuga_agua\"\n"                                         // 2 duplicate id
      << "nombre = \"Otra\"\n"
      << "dependencia = \"bomberos\"\n"                                 // unknown dependencia
      << "color = \"azul\"\n"                                           // 5 unknown key
      << "patrones = [\n"
      << "  { re = '(\\bsin cerrar', peso = 2 },\n"                     // 7 does not compile
      << "  { re = 'BACHE', peso = 2 },\n"                              // 8 uppercase
      << "  { re = 'lámpara', peso = 2 },\n"                            // 9 accent
      << "  { re = 'ok', peso = 0 },\n"                                 // 10 bad weight
      << "]\n";
  auto rules = RuleSet::Load(dir);
  ASSERT_FALSE(rules);
  const std::string& message = rules.error().message;
  EXPECT_THAT(message, HasSubstr("categoría 'fuga_agua' is defined twice"));
  EXPECT_THAT(message, HasSubstr("unknown dependencia 'bomberos'"));
  EXPECT_THAT(message, HasSubstr("categorias/malas.toml:5: unknown key 'color'"));
  EXPECT_THAT(message, HasSubstr("categorias/malas.toml:7: pattern '(\\bsin cerrar' does not compile"));
  EXPECT_THAT(message, HasSubstr("categorias/malas.toml:8: pattern 'BACHE': write it in lowercase"));
  EXPECT_THAT(message, HasSubstr("categorias/malas.toml:9: pattern 'lámpara': write it without accents"));
  EXPECT_THAT(message, HasSubstr("categorias/malas.toml:10: a pattern is { re = '...', peso = 1..10 }"));
}

TEST(RuleSetTest, RefusesSyntaxErrorsInAnyFile) {
  const auto dir = CopyOfTestRules("syntax");
  std::ofstream(dir / "intents.toml") << "[[intent]]\nid = \"saludo\nx\n";
  auto rules = RuleSet::Load(dir);
  ASSERT_FALSE(rules);
  EXPECT_THAT(rules.error().message, HasSubstr("intents.toml:2"));
}

TEST(RuleSetTest, RefusesRegexesRe2CannotRun) {
  const auto dir = CopyOfTestRules("lookbehind");
  std::ofstream(dir / "categorias" / "x.toml")
      << "[[categoria]]\nid = \"x\"\nnombre = \"X\"\ndependencia = \"jumapam\"\n"
      << "patrones = [{ re = '(?<!no )fuga', peso = 2 }]\n";
  auto rules = RuleSet::Load(dir);
  ASSERT_FALSE(rules);
  EXPECT_THAT(rules.error().message, HasSubstr("categorias/x.toml:5"));
  EXPECT_THAT(rules.error().message, HasSubstr("does not compile"));
}

// Bad input #25: nothing staff write into a pattern can stall classification. RE2 runs in time
// linear in the text, so the catastrophic-backtracking classic `(a+)+$` is harmless and loads;
// 1,000 nested groups and a 1 MB pattern are refused with file:line, and named shortly.
TEST(RuleSetTest, PathologicalPatternsAreHarmlessOrRefusedWithTheirLine) {
  const auto dir = CopyOfTestRules("pathological");
  const auto write = [&](const std::string& pattern) {
    std::ofstream(dir / "categorias" / "x.toml", std::ios::trunc)
        << "[[categoria]]\nid = \"x\"\nnombre = \"X\"\ndependencia = \"jumapam\"\n"
        << "patrones = [{ re = '" << pattern << "', peso = 2 }]\n";
  };
  write("(a+)+$");
  auto backtracking = RuleSet::Load(dir);
  EXPECT_TRUE(backtracking) << "RE2 has no catastrophic backtracking: "
                            << (backtracking ? "" : backtracking.error().message);

  write(std::string(1000, '(') + "fuga" + std::string(1000, ')'));
  auto deep = RuleSet::Load(dir);
  ASSERT_FALSE(deep);
  EXPECT_THAT(deep.error().message, HasSubstr("categorias/x.toml:5"));
  EXPECT_THAT(deep.error().message, HasSubstr("nested deeper than 16"));

  write("fuga (" + std::string(1 << 20, 'x') + ")");
  auto huge = RuleSet::Load(dir);
  ASSERT_FALSE(huge) << "a 1 MB pattern";
  EXPECT_THAT(huge.error().message, HasSubstr("categorias/x.toml:5"));
  EXPECT_THAT(huge.error().message, HasSubstr("longer than 4096 bytes"));
  EXPECT_LT(huge.error().message.size(), 300u) << "the problem names the pattern, not all of it";
}

}  // namespace
}  // namespace sac::classify
