// The engine on a small, fixed rule set (tests/classify/testdata/rules), so these tests say what
// the scoring does, whatever rules/ contains today.
#include "classify/classifier.h"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "classify/golden_cases.h"
#include "tests/support/testdata.h"

namespace sac::classify {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<const RuleSet> TestRules() {
  static const auto rules = [] {
    auto loaded = RuleSet::Load(testing::SourceDir() / "tests/classify/testdata/rules");
    EXPECT_TRUE(loaded) << loaded.error().message;
    return *loaded;
  }();
  return rules;
}

Classification Classify(const std::string& text) { return Classifier(TestRules()).Classify(text); }

TEST(ClassifierTest, RoutesAClearPetitionAndSaysWhy) {
  const Classification c = Classify("Hay una FUGA DE AGUA en la col. Juárez, calle laureles numero 12");
  EXPECT_EQ(c.intent, "peticion");
  EXPECT_EQ(c.dependencia, "jumapam");
  EXPECT_EQ(c.categoria, "fuga_agua");
  EXPECT_EQ(c.priority, "alta");
  EXPECT_FALSE(c.needs_review);
  EXPECT_DOUBLE_EQ(c.confidence, 4.0 / 5.0) << "3 + 1 points, no competitor, smoothing 1";
  ASSERT_TRUE(c.colonia);
  EXPECT_EQ(c.colonia->name, "Benito Juárez");
  EXPECT_EQ(c.address, "calle laureles; numero 12");
  ASSERT_GE(c.hits.size(), 2u);
  EXPECT_EQ(c.hits[0].where, "categorias/prueba.toml:7");
  EXPECT_EQ(c.hits[0].matched, "fuga de agua");
  EXPECT_EQ(c.normalized.substr(c.hits[0].begin, c.hits[0].end - c.hits[0].begin), "fuga de agua");
}

TEST(ClassifierTest, WeakEvidenceWaitsForAPerson) {
  const Classification c = Classify("y el agua?");
  EXPECT_EQ(c.intent, "peticion");
  EXPECT_EQ(c.dependencia, "jumapam") << "the candidate is kept for staff";
  EXPECT_TRUE(c.needs_review) << "one point is below puntaje_minimo";
}

TEST(ClassifierTest, CloseDependenciasWaitForAPerson) {
  const Classification c = Classify("fuga de agua y mucha basura");
  EXPECT_TRUE(c.needs_review);
  EXPECT_NEAR(c.confidence, 4.0 / (4 + 3 + 1), 1e-9);
  ASSERT_EQ(c.candidates.size(), 2u);
  EXPECT_EQ(c.candidates[1].dependencia, "aseo_urbano");
}

TEST(ClassifierTest, OnATieTheMoreUrgentCategoriaIsTheReading) {
  const Classification c = Classify("algo pasa con el poste de la esquina");
  EXPECT_EQ(c.categoria, "cable_suelto") << "same score as luminaria, but urgente";
  EXPECT_EQ(c.priority, "urgente");
  EXPECT_TRUE(c.needs_review) << "one point is still below puntaje_minimo";
}

TEST(ClassifierTest, ADeniedMatchDoesNotCount) {
  const Classification c = Classify("no es basura, es una fuga de agua");
  EXPECT_EQ(c.dependencia, "jumapam");
  EXPECT_FALSE(c.needs_review);
  const auto denied = std::find_if(c.hits.begin(), c.hits.end(),
                                   [](const RuleHit& h) { return h.kind == "negado"; });
  ASSERT_NE(denied, c.hits.end());
  EXPECT_EQ(denied->target, "basura");
}

TEST(ClassifierTest, ANegativePatternRemovesItsCategoria) {
  const Classification c = Classify("huele a fuga de gas, no hay agua");
  EXPECT_TRUE(c.categoria.empty());
  EXPECT_NE(std::find_if(c.hits.begin(), c.hits.end(),
                         [](const RuleHit& h) { return h.kind == "negativo"; }),
            c.hits.end());
}

TEST(ClassifierTest, SpecificIntentsWinAndCarryTheirDependencia) {
  const Classification debt = Classify("cuanto debo de predial?");
  EXPECT_EQ(debt.intent, "estado_cuenta");
  EXPECT_EQ(debt.dependencia, "tesoreria");
  EXPECT_FALSE(debt.needs_review);
  EXPECT_EQ(Classify("como va mi folio 2026-000123").intent, "consulta_folio");
  EXPECT_EQ(Classify("Holaaa!!").intent, "saludo");
  const Classification vague = Classify("quiero reportar algo");
  EXPECT_EQ(vague.intent, "peticion");
  EXPECT_TRUE(vague.needs_review);
  EXPECT_EQ(Classify("jajaja").intent, "otro");
}

TEST(ClassifierTest, RouteSkipsTheExplanation) {
  const Classification c = Classifier(TestRules()).Route("hay una fuga de agua en la col juarez");
  EXPECT_EQ(c.dependencia, "jumapam");
  EXPECT_TRUE(c.hits.empty());
  EXPECT_FALSE(c.colonia);
}

TEST(ClassifierTest, JsonCarriesTheContractFields) {
  const auto json = boost::json::parse(Classify("la lampara esta fundida en villa verde").ToJson()).as_object();
  EXPECT_EQ(json.at("intent").as_string(), "peticion");
  EXPECT_EQ(json.at("dependencia").as_string(), "alumbrado_publico");
  EXPECT_EQ(json.at("categoria").as_string(), "luminaria");
  EXPECT_EQ(json.at("colonia").as_string(), "Villa Verde");
  EXPECT_FALSE(json.at("needs_review").as_bool());
  EXPECT_GT(json.at("confianza").as_double(), 0.6);
  EXPECT_FALSE(json.at("rules").as_array().empty());
  const auto none = boost::json::parse(Classify("jajaja").ToJson()).as_object();
  EXPECT_TRUE(none.at("dependencia").is_null());
  EXPECT_TRUE(none.at("colonia").is_null());
}

TEST(GoldenCasesTest, EvaluatesPrecisionAutomaticIntentsAndColonias) {
  auto cases = LoadGoldenCases(*TestRules());
  ASSERT_TRUE(cases) << cases.error().message;
  const GoldenReport report = Evaluate(Classifier(TestRules()), *cases);
  EXPECT_EQ(report.cases, 9) << "4 lines, 4 categoría examples, 1 intent example";
  EXPECT_EQ(report.Precision(), 1.0);
  EXPECT_EQ(report.IntentAccuracy(), 1.0);
  EXPECT_EQ(report.colonia_expected, 2);
  EXPECT_EQ(report.colonia_right, 2);
  EXPECT_TRUE(report.GateFailures(TestRules()->thresholds()).empty());
  EXPECT_THAT(report.Render(), HasSubstr("jumapam"));
}

}  // namespace
}  // namespace sac::classify
