#include "http/query.h"

#include <gtest/gtest.h>

namespace sac::http {
namespace {

TEST(QueryTest, DecodesParameters) {
  auto params = ParseQuery("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=a%20b");
  ASSERT_TRUE(params);
  EXPECT_EQ(params->at("hub.mode"), "subscribe");
  EXPECT_EQ(params->at("hub.challenge"), "1158201444");
  EXPECT_EQ(params->at("hub.verify_token"), "a b");
}

TEST(QueryTest, EmptyQueryHasNoParameters) {
  auto params = ParseQuery("");
  ASSERT_TRUE(params);
  EXPECT_TRUE(params->empty());
}

TEST(QueryTest, RefusesMalformedEscapesAndPollution) {
  EXPECT_FALSE(ParseQuery("a=%ZZ"));
  EXPECT_FALSE(ParseQuery("a=%"));
  EXPECT_FALSE(ParseQuery("description=a&description=b"));
}

TEST(QueryTest, RefusesTooManyParameters) {
  std::string query;
  for (int i = 0; i < 1000; ++i) {
    query += "p" + std::to_string(i) + "=1&";
  }
  EXPECT_FALSE(ParseQuery(query));
}

}  // namespace
}  // namespace sac::http
