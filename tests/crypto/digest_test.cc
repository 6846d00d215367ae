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

TEST(DigestTest, HmacSha1Base64MatchesRfc2202Case2) {
  // HMAC-SHA1("Jefe", "what do ya want for nothing?") = effcdf6ae5eb2fa2d27416d5f184df9c259a7c79
  EXPECT_EQ(HmacSha1Base64("Jefe", "what do ya want for nothing?"), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
}

TEST(DigestTest, Base64RoundTripsAndRefusesGarbage) {
  for (const std::string& bytes : {std::string(""), std::string("f"), std::string("fo"),
                                  std::string("foo"), std::string("foob"), std::string("\0\xff", 2)}) {
    EXPECT_EQ(Base64Decode(Base64Encode(bytes)), bytes);
  }
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Decode("Zm9v\r\nYg=="), "foob") << "line breaks are allowed (MIME)";
  EXPECT_FALSE(Base64Decode("Zm9"));
  EXPECT_FALSE(Base64Decode("Zm9*"));
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
