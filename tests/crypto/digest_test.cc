#include "crypto/digest.h"

#include <gtest/gtest.h>

#include <set>

#include "crypto/password.h"

namespace sac::crypto {
namespace {

TEST(DigestTest, Sha256OfKnownInput) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(DigestTest, HmacMatchesRfc4231Case2) {
  EXPECT_EQ(HmacSha256Hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(DigestTest, ConstantTimeEqualsComparesWholeValues) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
}

TEST(DigestTest, RandomTokensAreLongEnoughAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string token = RandomToken(16);
    EXPECT_GE(token.size(), 26u);  // 128 bits at ~4.95 bits a character
    EXPECT_EQ(token.find_first_not_of("abcdefghjkmnpqrstuvwxyz23456789"), std::string::npos);
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(PasswordTest, HashesWithArgon2idAndVerifies) {
  const std::string hash = HashPassword("correcto caballo bateria");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_TRUE(VerifyPassword(hash, "correcto caballo bateria"));
  EXPECT_FALSE(VerifyPassword(hash, "incorrecto"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
}

}  // namespace
}  // namespace sac::crypto
