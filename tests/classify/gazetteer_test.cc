#include "classify/gazetteer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "classify/normalizer.h"
#include "tests/support/testdata.h"

namespace sac::classify {
namespace {

using ::testing::HasSubstr;

class GazetteerTest : public ::testing::Test {
 protected:
  static std::filesystem::path Dir() {
    return testing::SourceDir() / "tests/classify/testdata/rules/colonias";
  }
  void SetUp() override {
    auto loaded = Gazetteer::Load(Dir());
    ASSERT_TRUE(loaded) << loaded.error().message;
    gazetteer_ = std::move(*loaded);
  }
  std::string Find(const std::string& text) {
    const Normalizer normalizer({{"col", "colonia"}, {"fracc", "fraccionamiento"}});
    auto found = gazetteer_.Find(normalizer.Normalize(text));
    return found ? found->name + "/" + found->how : "-";
  }
  Gazetteer gazetteer_;
};

// Staff pick colonias from a list of "Name (CP)": SEPOMEX repeats a name under two postal codes
// (San Antonio, 82134 and 82139), and the one picked is the one kept.
TEST_F(GazetteerTest, AColoniaPickedFromTheListIsThatNameWithThatCode) {
  const auto picked = [&](std::string_view field) {
    const Colonia* colonia = gazetteer_.Picked(field);
    return colonia ? colonia->name + "/" + colonia->postal_code : "-";
  };
  EXPECT_EQ(picked("San Antonio (82139)"), "San Antonio/82139");
  EXPECT_EQ(picked("San Antonio (82134)"), "San Antonio/82134");
  EXPECT_EQ(picked("San Antonio"), "San Antonio/82134") << "without a code, the first";
  EXPECT_EQ(picked("San Antonio (99999)"), "-") << "a code the name does not have";
  EXPECT_EQ(picked("Villa Verde (82030)"), "-") << "another colonia's code";
  EXPECT_EQ(picked("Narnia"), "-");
  EXPECT_EQ(picked(""), "-");
}

TEST_F(GazetteerTest, FindsAColoniaAfterAMarkerEvenWithATypo) {
  EXPECT_EQ(Find("fuga en la colonia Villa Verde"), "Villa Verde/marcador");
  EXPECT_EQ(Find("FRACC. VILLA VERDE"), "Villa Verde/marcador");
  EXPECT_EQ(Find("col vila verde"), "Villa Verde/aproximada");
  EXPECT_EQ(Find("colonia montuoza"), "Montuosa/aproximada");
  EXPECT_EQ(Find("colonia arboledas iii"), "Arboledas III/marcador") << "not Arboledas I";
  EXPECT_EQ(Find("colonia los pinos"), "Los Pinos/marcador");
}

TEST_F(GazetteerTest, WeakMarkersTakeExactNamesOnly) {
  EXPECT_EQ(Find("vivo en la Montuosa"), "Montuosa/marcador");
  EXPECT_EQ(Find("vivo en las gaviotas"), "Las Gaviotas/marcador") << "the article is the name's";
  EXPECT_EQ(Find("esta en la esquina"), "-");
  EXPECT_EQ(Find("vivo en la montuoza"), "-") << "no typos after a weak marker";
  EXPECT_EQ(Find("se levanto la banqueta por las raices del arbol"), "-") << "a noun and its complement";
  EXPECT_EQ(Find("vivo por las raices de aqui de mazatlan"), "-");
  EXPECT_EQ(Find("aqui en las raices hay basura"), "Raíces/marcador");
}

TEST_F(GazetteerTest, MarkedAliasesNeedAMarker) {
  EXPECT_EQ(Find("hay un bache en la juarez"), "Benito Juárez/marcador");
  EXPECT_EQ(Find("colonia juarez"), "Benito Juárez/marcador");
  EXPECT_EQ(Find("casi esquina con av juarez"), "-");
  EXPECT_EQ(Find("juarez"), "-");
}

TEST_F(GazetteerTest, AliasesAndLongOfficialNamesMatchAnywhereButAfterStreetWords) {
  EXPECT_EQ(Find("aqui por playas infonavit"), "INFONAVIT Playas/alias");
  EXPECT_EQ(Find("aqui en infonavit playas"), "INFONAVIT Playas/nombre");
  EXPECT_EQ(Find("todo villa verde sin luz"), "Villa Verde/nombre");
  EXPECT_EQ(Find("frente a la escuela benito juarez"), "-");
  EXPECT_EQ(Find("en la calle villa verde"), "-");
  EXPECT_EQ(Find("afuera del teatro angela peralta hay un bache"), "-") << "a landmark";
  EXPECT_EQ(Find("en la angela peralta hay un bache"), "Ángela Peralta/marcador");
  EXPECT_EQ(Find("se cayo una rama de los pinos"), "-") << "one meaningful word is not enough";
}

TEST_F(GazetteerTest, PostalCodesOfASingleUrbanColonia) {
  EXPECT_EQ(Find("cp 82128"), "INFONAVIT Playas/codigo_postal");
  EXPECT_EQ(Find("c.p. 82139"), "Villa Verde/codigo_postal") << "its other colonia is rural";
  EXPECT_EQ(Find("cp 82000"), "-") << "two urban colonias share it";
}

TEST_F(GazetteerTest, KnowsOfficialNames) {
  EXPECT_EQ(gazetteer_.OfficialName("benito juarez"), "Benito Juárez");
  EXPECT_FALSE(gazetteer_.OfficialName("Atlantis"));
  EXPECT_EQ(gazetteer_.size(), 13u);
}

TEST(GazetteerLoadTest, RefusesAnAliasForAColoniaThatDoesNotExist) {
  const auto dir = std::filesystem::temp_directory_path() / "sac_gazetteer_bad_alias";
  std::filesystem::remove_all(dir);
  std::filesystem::copy(testing::SourceDir() / "tests/classify/testdata/rules/colonias", dir);
  std::ofstream(dir / "alias.toml") << "[alias]\n\"atlantida\" = \"Atlántida\"\n";
  auto loaded = Gazetteer::Load(dir);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, HasSubstr("alias.toml:2"));
  EXPECT_THAT(loaded.error().message, HasSubstr("atlantida"));
}

TEST(EditDistanceTest, CountsEditsAndTranspositionsUpToALimit) {
  EXPECT_EQ(EditDistance("montuosa", "montuoza", 2), 1);
  EXPECT_EQ(EditDistance("juarez", "jaurez", 2), 1) << "a transposition is one edit";
  EXPECT_EQ(EditDistance("verde", "verde", 1), 0);
  EXPECT_EQ(EditDistance("playas", "pinos", 1), 2) << "stops past the limit";
}

}  // namespace
}  // namespace sac::classify
