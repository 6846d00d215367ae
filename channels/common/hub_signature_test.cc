#include "channels/common/hub_signature.h"

#include <gtest/gtest.h>

#include "crypto/digest.h"

namespace sac::channels {
namespace {

constexpr std::string_view kSecret = "mzt_test_app_secret";

HttpRequest Signed(std::string body, std::string header) {
  HttpRequest request;
  request.method = "POST";
  request.body = std::move(body);
  request.headers.Add("X-Hub-Signature-256", std::move(header));
  return request;
}

std::string Good(std::string_view body) {
  return "sha256=" + crypto::HmacSha256Hex(kSecret, body);
}

TEST(HubSignatureTest, AcceptsTheRightSignature) {
  EXPECT_TRUE(VerifyHubSignature(Signed("{}", Good("{}")), kSecret));
}

TEST(HubSignatureTest, RejectsEveryKindOfWrongSignature) {
  const std::string body = R"({"a":"\u00e9"})";
  std::string uppercase = Good(body);
  for (std::size_t i = 7; i < uppercase.size(); ++i) {
    uppercase[i] = static_cast<char>(std::toupper(static_cast<unsigned char>(uppercase[i])));
  }
  const std::string cases[] = {
      "",                                                     // empty
      "sha1=" + Good(body).substr(7),                         // wrong algorithm prefix
      Good(body).substr(0, 40),                               // too short
      Good(body) + "00",                                      // too long
      uppercase,                                              // Meta sends lowercase hex
      "sha256=" + crypto::HmacSha256Hex("wrong secret", body),
      Good(R"({"a":"é"})"),                                   // signed over a re-serialised body
  };
  for (const std::string& header : cases) {
    SCOPED_TRACE(header);
    auto verified = VerifyHubSignature(Signed(body, header), kSecret);
    ASSERT_FALSE(verified);
    EXPECT_EQ(verified.error().code, Errc::kUnauthenticated);
  }
}

TEST(HubSignatureTest, RejectsAMissingOrRepeatedHeader) {
  HttpRequest missing;
  missing.body = "{}";
  EXPECT_FALSE(VerifyHubSignature(missing, kSecret));
  HttpRequest twice = Signed("{}", Good("{}"));
  twice.headers.Add("x-hub-signature-256", Good("{}"));
  EXPECT_FALSE(VerifyHubSignature(twice, kSecret));
}

}  // namespace
}  // namespace sac::channels
