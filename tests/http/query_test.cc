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

TEST(FormTest, DecodesPlusAsSpaceAndKeepsOrderAndRepeats) {
  auto params = ParseForm("Body=L%C3%A1mpara+apagada&To=%2B526691000000&x=1&x=2");
  ASSERT_TRUE(params);
  ASSERT_EQ(params->size(), 4u);
  EXPECT_EQ((*params)[0], (std::pair<std::string, std::string>{"Body", "Lámpara apagada"}));
  EXPECT_EQ((*params)[1].second, "+526691000000");
  EXPECT_EQ((*params)[3].second, "2");
}

TEST(FormTest, EncodesWhatItDecodes) {
  const std::vector<std::pair<std::string, std::string>> params = {
      {"To", "+526691234504"}, {"Body", "Lámpara & poste = 100%"}};
  const std::string body = EncodeForm(params);
  EXPECT_EQ(body.find(' '), std::string::npos);
  auto decoded = ParseForm(body);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, params);
}

TEST(FormTest, RefusesMalformedEscapesAndTooManyParameters) {
  EXPECT_FALSE(ParseForm("a=%ZZ"));
  EXPECT_FALSE(ParseForm("a=%"));
  std::string body;
  for (int i = 0; i < 100000; ++i) body += "p=1&";
  EXPECT_FALSE(ParseForm(body));
}

}  // namespace
}  // namespace sac::http
