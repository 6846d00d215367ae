// The new-password rules: length in characters, the leaked and local lists seen through capitals,
// accents, spaces and the digits and symbols people add, the username, repetition.
#include "web/password_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sac::web {
namespace {

using ::testing::HasSubstr;

TEST(PasswordPolicyTest, TheLeakedListIsBuiltIn) {
  const std::string_view list = LeakedPasswordList();
  EXPECT_EQ(list.substr(0, 16), "123456,password,");
  EXPECT_GT(std::count(list.begin(), list.end(), ','), 25000);
}

TEST(PasswordPolicyTest, PassphrasesPass) {
  EXPECT_EQ(PasswordProblem("contraseña de prueba larga", "capturista"), std::nullopt);
  EXPECT_EQ(PasswordProblem("el malecón a las seis de la tarde", "maria.lopez"), std::nullopt);
  EXPECT_EQ(PasswordProblem("Tr4mpolín-verde-1987", "maria.lopez"), std::nullopt);
}

TEST(PasswordPolicyTest, LeakedAndLocalPasswordsAreRefusedHoweverDressed) {
  for (const char* guessable :
       {"password1234", "PASSWORD1234!", "qwertyuiop12", "1qaz2wsx3edc", "dragon123456",
        "iloveyou2026", "Mazatlán2026!", "mazatlan 2026", "¡Sinaloa12345!", "contraseña123",
        "Contrasena2026", "administrador1", "123456789012", "zyxwvu-987654", "Mazatlán2026°",
        "«teamo123456»", "Perro202612€", "Mazatla\u0301n2026!"}) {
    const auto problem = PasswordProblem(guessable, "maria.lopez");
    ASSERT_TRUE(problem) << guessable;
    EXPECT_THAT(*problem, HasSubstr("más usadas")) << guessable;
  }
}

TEST(PasswordPolicyTest, LengthIsCountedInCharacters) {
  EXPECT_THAT(*PasswordProblem("ñañañañañañ", "x.y"), HasSubstr("12 caracteres"))
      << "eleven characters in seventeen bytes";
  EXPECT_THAT(*PasswordProblem("corta", "x.y"), HasSubstr("12 caracteres"));
}

TEST(PasswordPolicyTest, NeitherTheUsernameNorAFewRepeatedCharacters) {
  EXPECT_THAT(*PasswordProblem("maria.lopez-de-noche", "maria.lopez"), HasSubstr("usuario"));
  EXPECT_THAT(*PasswordProblem("MariaLopez de noche", "maria.lopez"), HasSubstr("usuario"));
  EXPECT_THAT(*PasswordProblem("López María 1987 en Mazatlán", "maria.lopez"), HasSubstr("usuario"));
  EXPECT_EQ(PasswordProblem("la luz del sol en la tarde", "luz"), std::nullopt)
      << "a three-letter username is an everyday word inside a phrase";
  EXPECT_THAT(*PasswordProblem("😀😁😀😁😀😁😀😁😀😁😀😁", "x.y"), HasSubstr("pocos caracteres"))
      << "characters, not bytes";
  EXPECT_THAT(*PasswordProblem("abababababababab", "x.y"), HasSubstr("pocos caracteres"));
  EXPECT_THAT(*PasswordProblem("zzzzzzzzzzzzzzzzzz", "x.y"), HasSubstr("pocos caracteres"));
}

}  // namespace
}  // namespace sac::web
