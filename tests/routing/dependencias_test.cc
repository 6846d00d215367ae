#include "routing/dependencias.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "tests/support/testdata.h"

namespace sac::routing {
namespace {

using ::testing::HasSubstr;

std::filesystem::path WriteTemp(const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("dependencias_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                     "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".toml");
  std::ofstream(path) << text;
  return path;
}

TEST(DependenciasTest, TheCatalogueHasTheAgreedIds) {
  auto loaded = LoadDependencias(testing::SourceDir() / "rules/dependencias.toml");
  ASSERT_TRUE(loaded) << loaded.error().message;
  std::map<std::string, int> sla;
  for (const Dependencia& d : *loaded) {
    sla[d.id] = d.sla_business_days;
    EXPECT_FALSE(d.name.empty()) << d.id;
    EXPECT_FALSE(d.handles.empty()) << d.id;
  }
  for (const char* id : {"jumapam", "aseo_urbano", "alumbrado_publico", "parques_jardines",
                         "obras_publicas", "seguridad_publica", "ecologia", "proteccion_civil",
                         "tesoreria", "oficialia_mayor", "desarrollo_urbano",
                         "organo_interno_control", "dif", "atencion_ciudadana", "externa"}) {
    EXPECT_TRUE(sla.contains(id)) << id;
  }
  EXPECT_EQ(sla.size(), 15u);
  EXPECT_EQ(sla["alumbrado_publico"], 15);  // the manual's exception
  EXPECT_EQ(sla["jumapam"], 10);
}

TEST(DependenciasTest, UnknownKeysAreErrors) {
  auto loaded = LoadDependencias(WriteTemp(
      "[[dependencia]]\nid = \"x\"\nnombre = \"X\"\nsla_dias_habiles = 10\ncolor = \"rojo\"\n"));
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, HasSubstr("unknown key 'color'"));
}

TEST(DependenciasTest, BadIdsAndSlasAreErrors) {
  EXPECT_FALSE(LoadDependencias(
      WriteTemp("[[dependencia]]\nid = \"Obras Públicas\"\nnombre = \"X\"\nsla_dias_habiles = 10\n")));
  EXPECT_FALSE(LoadDependencias(
      WriteTemp("[[dependencia]]\nid = \"x\"\nnombre = \"X\"\nsla_dias_habiles = 0\n")));
}

TEST(DependenciasTest, ReadsPerCategoriaTerms) {
  auto loaded = LoadDependencias(WriteTemp(
      "[[dependencia]]\nid = \"obras_publicas\"\nnombre = \"X\"\nsla_dias_habiles = 10\n"
      "sla_por_categoria = { bache = 5, banqueta = 12 }\n"));
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ((*loaded)[0].sla_by_categoria.at("bache"), 5);
  EXPECT_EQ((*loaded)[0].sla_by_categoria.at("banqueta"), 12);
  EXPECT_FALSE(LoadDependencias(WriteTemp(
      "[[dependencia]]\nid = \"x\"\nnombre = \"X\"\nsla_dias_habiles = 10\n"
      "sla_por_categoria = { bache = 0 }\n")));
  EXPECT_FALSE(LoadDependencias(WriteTemp(
      "[[dependencia]]\nid = \"x\"\nnombre = \"X\"\nsla_dias_habiles = 10\n"
      "sla_por_categoria = 5\n")));
}

TEST(DependenciasTest, DuplicateIdsAreErrors) {
  auto loaded = LoadDependencias(WriteTemp(
      "[[dependencia]]\nid = \"x\"\nnombre = \"X\"\nsla_dias_habiles = 10\n"
      "[[dependencia]]\nid = \"x\"\nnombre = \"Y\"\nsla_dias_habiles = 10\n"));
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, HasSubstr("duplicate id x"));
}

}  // namespace
}  // namespace sac::routing
