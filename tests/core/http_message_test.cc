#include "core/http_message.h"

#include <gtest/gtest.h>

namespace sac {
namespace {

TEST(HeadersTest, LooksUpNamesCaseInsensitively) {
  Headers headers;
  headers.Add("X-Hub-Signature-256", "sha256=ab");
  EXPECT_EQ(headers.Get("x-hub-signature-256"), "sha256=ab");
  EXPECT_EQ(headers.Get("X-HUB-SIGNATURE-256"), "sha256=ab");
  EXPECT_FALSE(headers.Get("X-Hub-Signature"));
}

TEST(HeadersTest, CountsRepeatedFields) {
  Headers headers;
  headers.Add("Accept", "a");
  headers.Add("accept", "b");
  EXPECT_EQ(headers.Count("ACCEPT"), 2);
  EXPECT_EQ(headers.Get("Accept"), "a");
}

}  // namespace
}  // namespace sac
