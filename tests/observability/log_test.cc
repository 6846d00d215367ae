#include "observability/log.h"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace sac::log {
namespace {

TEST(LogTest, FormatsMessageAndFieldsAsJsonMembers) {
  const std::string event = FormatEvent("webhook stored", {{"channel", "whatsapp"},
                                                           {"messages", 2},
                                                           {"ok", true},
                                                           {"seconds", 0.5}});
  const auto parsed = boost::json::parse("{" + event + "}").as_object();
  EXPECT_EQ(parsed.at("msg").as_string(), "webhook stored");
  EXPECT_EQ(parsed.at("channel").as_string(), "whatsapp");
  EXPECT_EQ(parsed.at("messages").as_int64(), 2);
  EXPECT_EQ(parsed.at("ok").as_bool(), true);
  EXPECT_DOUBLE_EQ(parsed.at("seconds").as_double(), 0.5);
}

TEST(LogTest, EscapesHostileValues) {
  const std::string event = FormatEvent("x", {{"error", "a\"b\n{\"level\":\"info\"}"}});
  EXPECT_EQ(event.find('\n'), std::string::npos);
  const auto parsed = boost::json::parse("{" + event + "}").as_object();
  EXPECT_EQ(parsed.at("error").as_string(), "a\"b\n{\"level\":\"info\"}");
}

TEST(LogTest, ParsesLevels) {
  EXPECT_EQ(ParseLevel("debug"), Level::kDebug);
  EXPECT_EQ(ParseLevel("warn"), Level::kWarn);
  EXPECT_FALSE(ParseLevel("verbose"));
}

}  // namespace
}  // namespace sac::log
