#include "config/config_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "tests/support/testdata.h"

namespace sac {
namespace {

using ::testing::HasSubstr;

Environment Env(std::map<std::string, std::string, std::less<>> values) {
  return [values = std::move(values)](std::string_view name) -> std::optional<std::string> {
    const auto found = values.find(name);
    return found == values.end() ? std::nullopt : std::optional<std::string>(found->second);
  };
}

TEST(ConfigLoaderTest, DefaultsNeedNoFile) {
  auto config = LoadConfigFromString("", "empty", Env({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->http.port, 8080);
  EXPECT_EQ(config->http.listen_address, "127.0.0.1");
  EXPECT_EQ(config->pipeline.max_attempts, 5);
  EXPECT_FALSE(config->channels.whatsapp.enabled);
}

TEST(ConfigLoaderTest, FileOverridesDefaults) {
  auto config = LoadConfigFromString(R"(
    [http]
    port = 9090
    header_timeout_seconds = 5
    [pipeline]
    workers = 3
    [channels.whatsapp]
    enabled = true
    phone_number_id = "110220330440550"
  )", "test.toml", Env({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->http.port, 9090);
  EXPECT_EQ(config->http.header_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config->pipeline.workers, 3);
  EXPECT_TRUE(config->channels.whatsapp.enabled);
  EXPECT_EQ(config->channels.whatsapp.phone_number_id, "110220330440550");
}

TEST(ConfigLoaderTest, UnknownKeysAreErrorsNamingTheKey) {
  auto config = LoadConfigFromString("[http]\nprot = 1\n[databse]\nurl = \"x\"\n", "t", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("unknown configuration key 'http.prot'"));
  EXPECT_THAT(config.error().message, HasSubstr("unknown configuration key 'databse'"));
}

TEST(ConfigLoaderTest, BadValuesNameTheKey) {
  auto config = LoadConfigFromString("[http]\nport = 70000\n[log]\nlevel = \"loud\"\n", "t", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("http.port"));
  EXPECT_THAT(config.error().message, HasSubstr("log.level"));
}

TEST(ConfigLoaderTest, WrongTypesAreErrors) {
  auto config = LoadConfigFromString("[http]\nport = \"8080\"\n", "t", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("http.port: expected an integer"));
}

TEST(ConfigLoaderTest, SyntaxErrorsGiveTheLine) {
  auto config = LoadConfigFromString("[http]\nport = = 1\n", "bad.toml", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("bad.toml:2"));
}

TEST(ConfigLoaderTest, SecretsInTheFileAreRefused) {
  auto config = LoadConfigFromString("[channels.whatsapp]\napp_secret = \"s3cr3t\"\n", "t", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("SAC_WHATSAPP_APP_SECRET"));
  EXPECT_THAT(config.error().message, ::testing::Not(HasSubstr("s3cr3t")));
}

TEST(ConfigLoaderTest, EnvironmentWins) {
  auto config = LoadConfigFromString("[http]\nport = 9090\n[database]\nurl = \"host=a\"\n", "t",
                                     Env({{"SAC_HTTP_PORT", "7070"},
                                          {"SAC_DATABASE_URL", "host=b"},
                                          {"SAC_WHATSAPP_APP_SECRET", "from-env"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->http.port, 7070);
  EXPECT_EQ(config->database.url, "host=b");
  EXPECT_EQ(config->channels.whatsapp.app_secret, "from-env");
}

TEST(ConfigLoaderTest, BadPortInTheEnvironmentIsAnError) {
  auto config = LoadConfigFromString("", "t", Env({{"SAC_HTTP_PORT", "80a"}}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("SAC_HTTP_PORT"));
}

TEST(ConfigLoaderTest, ServeNeedsEverySecretOfAnEnabledChannel) {
  auto config = LoadConfigFromString(
      "[database]\nurl = \"host=x\"\n[channels.whatsapp]\nenabled = true\n"
      "phone_number_id = \"1\"\n",
      "t", Env({{"SAC_WHATSAPP_APP_SECRET", "a"}}));
  ASSERT_TRUE(config);
  auto valid = ValidateForServe(*config);
  ASSERT_FALSE(valid);
  EXPECT_THAT(valid.error().message, HasSubstr("SAC_WHATSAPP_VERIFY_TOKEN"));
  EXPECT_THAT(valid.error().message, HasSubstr("SAC_WHATSAPP_ACCESS_TOKEN"));
  EXPECT_THAT(valid.error().message, ::testing::Not(HasSubstr("SAC_WHATSAPP_APP_SECRET")));
}

TEST(ConfigLoaderTest, ServeNeedsADatabase) {
  auto config = LoadConfigFromString("", "t", Env({}));
  ASSERT_TRUE(config);
  auto valid = ValidateForServe(*config);
  ASSERT_FALSE(valid);
  EXPECT_THAT(valid.error().message, HasSubstr("SAC_DATABASE_URL"));
}

TEST(ConfigLoaderTest, TheDevFileLoads) {
  auto config = LoadConfig(testing::SourceDir() / "deploy/config/sac.dev.toml",
                           Env({{"SAC_DATABASE_URL", "host=/tmp"},
                                {"SAC_WHATSAPP_APP_SECRET", "a"},
                                {"SAC_WHATSAPP_VERIFY_TOKEN", "b"},
                                {"SAC_WHATSAPP_ACCESS_TOKEN", "c"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->channels.whatsapp.enabled);
  EXPECT_TRUE(ValidateForServe(*config));
}

}  // namespace
}  // namespace sac
