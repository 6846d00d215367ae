#include "classify/normalizer.h"

#include <gtest/gtest.h>

namespace sac::classify {
namespace {

TEST(NormalizerTest, FoldsCaseAccentsAndPunctuation) {
  const std::pair<const char*, const char*> cases[] = {
      {"BACHÉ!!", "bache"},
      {"Baño público", "bano publico"},
      {"Ñoño pingüino", "nono pinguino"},
      {"Çà et là", "ca et la"},
      {"  hay\tuna\n\nfuga   ", "hay una fuga"},
      {"💡 la lámpara 🔥🔥 no prende 😡", "la lampara no prende"},
      {"¿¡Qué onda!?", "que onda"},
      {"llave, carro, leer", "llave carro leer"},
  };
  for (const auto& [text, folded] : cases) {
    SCOPED_TRACE(text);
    EXPECT_EQ(Normalizer::Fold(text), folded);
  }
}

TEST(NormalizerTest, CollapsesLongRunsOfALetter) {
  EXPECT_EQ(Normalizer::Fold("holaaaaa"), "hola");
  EXPECT_EQ(Normalizer::Fold("siiiii ya quedooo"), "si ya quedo");
  EXPECT_EQ(Normalizer::Fold("aaaagua"), "agua");
  EXPECT_EQ(Normalizer::Fold("carro"), "carro") << "two equal letters are Spanish, not shouting";
}

TEST(NormalizerTest, KeepsDigitsAndTheDashBetweenThem) {
  EXPECT_EQ(Normalizer::Fold("folio 2026-000123, cp 82139"), "folio 2026-000123 cp 82139");
  EXPECT_EQ(Normalizer::Fold("calle 5-b"), "calle 5 b");
  EXPECT_EQ(Normalizer::Fold("1000000"), "1000000") << "digits are not letters: no run collapse";
}

TEST(NormalizerTest, HandlesOtherScriptsAndBadBytesWithIcu) {
  EXPECT_EQ(Normalizer::Fold("ΑΒΓ"), "αβγ");
  EXPECT_EQ(Normalizer::Fold("１２ calle"), "12 calle") << "fullwidth digits";
  EXPECT_EQ(Normalizer::Fold("Ōsaka Škoda"), "osaka skoda") << "Latin Extended-A through ICU";
  EXPECT_EQ(Normalizer::Fold("a\xff\xfe" "b"), "a b") << "invalid UTF-8 becomes a space";
  EXPECT_EQ(Normalizer::Fold(""), "");
}

TEST(NormalizerTest, ExpandsWholeTokenAbbreviations) {
  const Normalizer normalizer({{"xq", "porque"}, {"q", "que"}, {"col", "colonia"},
                               {"porfa", "por favor"}});
  EXPECT_EQ(normalizer.Normalize("XQ no pasa el camión? porfaaaa"),
            "porque no pasa el camion por favor");
  EXPECT_EQ(normalizer.Normalize("Col. Juárez"), "colonia juarez");
  EXPECT_EQ(normalizer.Normalize("quiero que"), "quiero que") << "only whole tokens";
}

}  // namespace
}  // namespace sac::classify
