// TOTP against RFC 6238's SHA-1 test vectors and RFC 4648's base32 ones, the window of one step
// each side, and a code refused once used.
#include "crypto/totp.h"

#include <gtest/gtest.h>

#include <chrono>

namespace sac::crypto {
namespace {

TimePoint At(std::int64_t unix_seconds) { return TimePoint(std::chrono::seconds(unix_seconds)); }

constexpr std::string_view kRfcSecret = "12345678901234567890";

TEST(TotpTest, MatchesRfc6238sVectors) {
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(At(59)), 8), "94287082");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(At(1111111109)), 8), "07081804");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(At(1111111111)), 8), "14050471");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(At(1234567890)), 8), "89005924");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(At(2000000000)), 8), "69279037");
  // The RFC's last vector, T = 20000000000 (year 2603), is past what a nanosecond system clock
  // holds; its step is given directly.
  EXPECT_EQ(TotpCode(kRfcSecret, 20000000000 / kTotpStepSeconds, 8), "65353130");
  EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(At(1111111109))), "081804") << "six digits, zeros kept";
}

TEST(TotpTest, Base32IsRfc4648sWithoutPadding) {
  EXPECT_EQ(Base32Encode(""), "");
  EXPECT_EQ(Base32Encode("f"), "MY");
  EXPECT_EQ(Base32Encode("fo"), "MZXQ");
  EXPECT_EQ(Base32Encode("foo"), "MZXW6");
  EXPECT_EQ(Base32Encode("foob"), "MZXW6YQ");
  EXPECT_EQ(Base32Encode("fooba"), "MZXW6YTB");
  EXPECT_EQ(Base32Encode("foobar"), "MZXW6YTBOI");
  EXPECT_EQ(Base32Encode(kRfcSecret), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

TEST(TotpTest, AcceptsOneStepEachSideAndNothingFurther) {
  const TimePoint now = At(1234567890);
  const std::int64_t step = TotpStep(now);
  for (const std::int64_t offset : {-1, 0, 1}) {
    EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + offset), now, 0), step + offset);
  }
  EXPECT_FALSE(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 2), now, 0));
  EXPECT_FALSE(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 2), now, 0));
  EXPECT_FALSE(MatchTotp("another secret of twenty", TotpCode(kRfcSecret, step), now, 0));
}

TEST(TotpTest, ACodeUsedOnceIsRefusedAfterwards) {
  const TimePoint now = At(1234567890);
  const std::string code = TotpCode(kRfcSecret, TotpStep(now));
  const auto used = MatchTotp(kRfcSecret, code, now, 0);
  ASSERT_TRUE(used);
  EXPECT_FALSE(MatchTotp(kRfcSecret, code, now, *used));
  EXPECT_FALSE(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, *used - 1), now, *used))
      << "nor an older one";
  EXPECT_TRUE(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, *used + 1), now, *used));
}

TEST(TotpTest, OnlySixDigitsCountSpacesAside) {
  const TimePoint now = At(1234567890);
  const std::string code = TotpCode(kRfcSecret, TotpStep(now));
  EXPECT_TRUE(MatchTotp(kRfcSecret, code.substr(0, 3) + " " + code.substr(3), now, 0));
  for (const std::string& bad : {std::string(""), code.substr(0, 5), code + "0",
                                 std::string("12a456"), std::string("-") + code.substr(1)}) {
    EXPECT_FALSE(MatchTotp(kRfcSecret, bad, now, 0)) << bad;
  }
}

TEST(TotpTest, TheUriNamesIssuerAccountAndSecret) {
  EXPECT_EQ(TotpUri("foobar", "ana.lópez"),
            "otpauth://totp/SAC%20Mazatl%C3%A1n:ana.l%C3%B3pez?secret=MZXW6YTBOI"
            "&issuer=SAC%20Mazatl%C3%A1n&algorithm=SHA1&digits=6&period=30");
}

}  // namespace
}  // namespace sac::crypto
