// Sealing the secrets SAC must read back: AES-256-GCM against a published vector, a value that
// opens only with its key and in its place, rotation, and values kept in clear before a key.
#include "crypto/secret_box.h"

#include <gtest/gtest.h>

#include "crypto/digest.h"

namespace sac::crypto {
namespace {

const std::string kKey(64, '1');
const std::string kOtherKey(64, 'a');
constexpr std::string_view kSecret = "12345678901234567890";
constexpr std::string_view kHere = "staff_user.totp_secret:7";

SecretBox Box(std::vector<std::string> keys) {
  auto box = SecretBox::FromHex(keys);
  EXPECT_TRUE(box) << box.error().message;
  return box ? *box : SecretBox{};
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

std::string Opened(const SecretBox& box, std::string_view stored) {
  auto opened = box.Open(stored, kHere);
  return opened ? *opened : "(" + opened.error().message + ")";
}

// McGrew and Viega's GCM test case 14 (AES-256, zero key, zero IV, one zero block, no AAD).
TEST(SecretBoxTest, OpensAPublishedAesGcmVector) {
  const std::string zero_key(32, '\0');
  const std::string stored = "sac1" + Sha256Hex(zero_key).substr(0, 8) + std::string(12, '\0') +
                             Unhex("cea7403d4d606b6e074ec5d3baf39d18") +
                             Unhex("d0d1c8a799996bf0265b98b5d48ab919");
  const auto opened = Box({std::string(64, '0')}).Open(stored, "");
  ASSERT_TRUE(opened) << opened.error().message;
  EXPECT_EQ(*opened, std::string(16, '\0'));
}

TEST(SecretBoxTest, ASealedValueOpensOnlyWithItsKeyInItsPlace) {
  const SecretBox box = Box({kKey});
  const std::string sealed = box.Seal(kSecret, kHere);
  EXPECT_EQ(sealed.find(kSecret), std::string::npos);
  EXPECT_EQ(sealed.size(), kSecret.size() + 40);
  EXPECT_NE(box.Seal(kSecret, kHere), sealed) << "a fresh nonce each time";
  EXPECT_EQ(Opened(box, sealed), kSecret);
  EXPECT_FALSE(box.NeedsResealing(sealed));

  const auto elsewhere = box.Open(sealed, "staff_user.totp_secret:8");
  ASSERT_FALSE(elsewhere) << "copied into another account's row";
  EXPECT_EQ(elsewhere.error().code, Errc::kUnauthenticated);
  for (std::size_t at : {std::size_t{4}, std::size_t{12}, std::size_t{30}, sealed.size() - 1}) {
    std::string altered = sealed;
    altered[at] = static_cast<char>(altered[at] ^ 1);
    EXPECT_FALSE(box.Open(altered, kHere)) << "byte " << at << " altered";
  }
  EXPECT_FALSE(box.Open(sealed.substr(0, sealed.size() - 1), kHere)) << "truncated";
  const auto stub = box.Open(sealed.substr(0, 20), kHere);
  ASSERT_FALSE(stub) << "marked as sealed: never taken for a key kept in clear";
  EXPECT_EQ(stub.error().code, Errc::kUnauthenticated);
  const auto unknown = Box({kOtherKey}).Open(sealed, kHere);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, Errc::kUnavailable) << "a key SAC does not have";
  EXPECT_EQ(unknown.error().message.find(kKey), std::string::npos);
}

TEST(SecretBoxTest, RotatingKeepsOldValuesReadableAndTellsWhichToSealAgain) {
  const std::string old = Box({kOtherKey}).Seal(kSecret, kHere);
  const SecretBox rotating = Box({kKey, kOtherKey});
  EXPECT_EQ(Opened(rotating, old), kSecret);
  EXPECT_TRUE(rotating.NeedsResealing(old));
  const std::string fresh = rotating.Seal(kSecret, kHere);
  EXPECT_FALSE(rotating.NeedsResealing(fresh));
  EXPECT_EQ(Opened(Box({kKey}), fresh), kSecret) << "the old key can then go";
}

TEST(SecretBoxTest, WithoutAKeyValuesStayInClearAndAreSealedOnceOneIsSet) {
  const SecretBox none;
  EXPECT_FALSE(none.seals());
  EXPECT_EQ(none.Seal(kSecret, kHere), kSecret);
  EXPECT_EQ(Opened(none, kSecret), kSecret);
  EXPECT_FALSE(none.NeedsResealing(kSecret));
  const SecretBox box = Box({kKey});
  EXPECT_EQ(Opened(box, kSecret), kSecret) << "kept in clear before the key";
  EXPECT_TRUE(box.NeedsResealing(kSecret));
  EXPECT_FALSE(none.Open(box.Seal(kSecret, kHere), kHere)) << "the key was removed";
}

TEST(SecretBoxTest, TheSameKeyTwiceIsRefused) {
  EXPECT_FALSE(SecretBox::FromHex({kKey, kOtherKey, kKey}));
}

TEST(SecretBoxTest, AMalformedKeyIsRefusedWithoutShowingIt) {
  for (const std::string& bad : {std::string(63, '1'), std::string(66, '1'),
                                 std::string(62, '1') + "zz", std::string()}) {
    const auto box = SecretBox::FromHex({kKey, bad});
    ASSERT_FALSE(box);
    EXPECT_EQ(box.error().code, Errc::kInvalidArgument);
    EXPECT_EQ(box.error().message.find(std::string(20, '1')), std::string::npos);
  }
}

}  // namespace
}  // namespace sac::crypto
