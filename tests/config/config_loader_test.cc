#include "config/config_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "tests/support/testdata.h"

namespace sac {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

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
  // Slow clients: the header within 10 s of its first byte, the body within 30 s.
  EXPECT_EQ(config->http.header_timeout, std::chrono::seconds(10));
  EXPECT_EQ(config->http.body_timeout, std::chrono::seconds(30));
  EXPECT_EQ(config->http.inbox_committers, 2);
  EXPECT_EQ(config->http.trusted_proxies, (std::vector<std::string>{"127.0.0.1", "::1"}));
  EXPECT_EQ(config->pipeline.max_attempts, 5);
  EXPECT_FALSE(config->channels.whatsapp.enabled);
  EXPECT_EQ(config->staff_web.second_factor, "optional");
}

TEST(ConfigLoaderTest, FileOverridesDefaults) {
  auto config = LoadConfigFromString(R"(
    [http]
    port = 9090
    header_timeout_seconds = 5
    inbox_committers = 3
    trusted_proxies = ["10.0.0.5"]
    ops_networks = ["10.20.0.0/16"]
    [pipeline]
    workers = 3
    [staff_web]
    second_factor = "required"
    [channels.whatsapp]
    enabled = true
    phone_number_id = "110220330440550"
    [channels.open311]
    media_hosts = ["fotos.mazatlan.gob.mx", ".mazatlan.gob.mx"]
  )", "test.toml", Env({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->http.port, 9090);
  EXPECT_EQ(config->http.header_timeout, std::chrono::seconds(5));
  EXPECT_EQ(config->http.inbox_committers, 3);
  EXPECT_EQ(config->http.trusted_proxies, std::vector<std::string>{"10.0.0.5"});
  EXPECT_EQ(config->http.ops_networks, std::vector<std::string>{"10.20.0.0/16"});
  EXPECT_EQ(config->pipeline.workers, 3);
  EXPECT_EQ(config->staff_web.second_factor, "required");
  EXPECT_TRUE(config->channels.whatsapp.enabled);
  EXPECT_EQ(config->channels.whatsapp.phone_number_id, "110220330440550");
  EXPECT_EQ(config->channels.open311.media_hosts,
            (std::vector<std::string>{"fotos.mazatlan.gob.mx", ".mazatlan.gob.mx"}));
}

TEST(ConfigLoaderTest, UnknownKeysAreErrorsNamingTheKey) {
  auto config = LoadConfigFromString("[http]\nprot = 1\n[databse]\nurl = \"x\"\n", "t", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("unknown configuration key 'http.prot'"));
  EXPECT_THAT(config.error().message, HasSubstr("unknown configuration key 'databse'"));
}

TEST(ConfigLoaderTest, BadValuesNameTheKey) {
  auto config = LoadConfigFromString(
      "[http]\nport = 70000\nops_networks = [\"10.0.0.1/8\"]\n[log]\nlevel = \"loud\"\n"
      "[staff_web]\nsecond_factor = \"sometimes\"\n"
      "[channels.open311]\nmedia_hosts = [\"https://fotos.example.mx\"]\n",
      "t", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("http.port"));
  EXPECT_THAT(config.error().message, HasSubstr("http.ops_networks: \"10.0.0.1/8\" has bits set"));
  EXPECT_THAT(config.error().message,
              HasSubstr("channels.open311.media_hosts: \"https://fotos.example.mx\" is not"));
  EXPECT_THAT(config.error().message, HasSubstr("log.level"));
  EXPECT_THAT(config.error().message, HasSubstr("staff_web.second_factor"));
}

TEST(ConfigLoaderTest, WrongTypesAreErrors) {
  auto config = LoadConfigFromString("[http]\nport = \"8080\"\n", "t", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("http.port: expected an integer"));
}

TEST(ConfigLoaderTest, ASendMustEndBeforeItsLease) {
  const auto config = LoadConfigFromString(
      "[outbox]\nsend_lease_seconds = 10\n[channels.telegram]\nenabled = true\n"
      "send_timeout_ms = 15000\n",
      "t", Env({{"SAC_TELEGRAM_BOT_TOKEN", "1:x"}, {"SAC_TELEGRAM_SECRET_TOKEN", "s"}}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message,
              HasSubstr("channels.telegram.send_timeout_ms must be shorter than outbox.send_lease_seconds"));
  EXPECT_TRUE(LoadConfigFromString("[outbox]\nsend_lease_seconds = 10\n", "t", Env({})))
      << "a disabled channel's timeout does not matter";
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

TEST(ConfigLoaderTest, TheSecretKeyComesFromTheEnvironmentWellFormedWithItsPreviousOne) {
  const std::string key(64, 'a');
  const std::string previous(64, 'b');
  auto both = LoadConfigFromString(
      "", "t", Env({{"SAC_SECRET_KEY", key}, {"SAC_SECRET_KEY_PREVIOUS", previous}}));
  ASSERT_TRUE(both) << both.error().message;
  EXPECT_EQ(both->staff_web.secret_keys, (std::vector<std::string>{key, previous}));
  ASSERT_TRUE(LoadConfigFromString("", "t", Env({})));
  EXPECT_TRUE(LoadConfigFromString("", "t", Env({}))->staff_web.secret_keys.empty());

  auto short_key = LoadConfigFromString("", "t", Env({{"SAC_SECRET_KEY", "abc123"}}));
  ASSERT_FALSE(short_key);
  EXPECT_THAT(short_key.error().message, HasSubstr("SAC_SECRET_KEY: expected 64 hexadecimal"));
  EXPECT_THAT(short_key.error().message, ::testing::Not(HasSubstr("abc123")));
  auto bad_previous = LoadConfigFromString(
      "", "t", Env({{"SAC_SECRET_KEY", key}, {"SAC_SECRET_KEY_PREVIOUS", "zz"}}));
  ASSERT_FALSE(bad_previous);
  EXPECT_THAT(bad_previous.error().message, HasSubstr("SAC_SECRET_KEY_PREVIOUS"));
  auto retired = LoadConfigFromString(
      "", "t",
      Env({{"SAC_SECRET_KEY", key},
           {"SAC_SECRET_KEY_PREVIOUS", previous + "," + std::string(64, 'c')}}));
  ASSERT_TRUE(retired) << retired.error().message;
  EXPECT_EQ(retired->staff_web.secret_keys.size(), 3u) << "every retired key still opens";
  auto previous_alone = LoadConfigFromString("", "t", Env({{"SAC_SECRET_KEY_PREVIOUS", previous}}));
  ASSERT_FALSE(previous_alone) << "the key replacing it is missing";
  auto in_the_file =
      LoadConfigFromString("[staff_web]\nsecret_key = \"" + key + "\"\n", "t", Env({}));
  ASSERT_FALSE(in_the_file);
  EXPECT_THAT(in_the_file.error().message, HasSubstr("set SAC_SECRET_KEY"));
}

TEST(ConfigLoaderTest, TheAreaTheMunicipalityAttendsIsOneBoxForTheChatsAndTheApp) {
  auto defaults = LoadConfigFromString("", "t", Env({}));
  ASSERT_TRUE(defaults);
  const ServiceArea& mazatlan = defaults->conversation.area;
  EXPECT_TRUE(mazatlan.Contains(23.2329, -106.4062)) << "the Malecón";
  EXPECT_TRUE(mazatlan.Contains(23.1890, -106.2190)) << "Villa Unión";
  EXPECT_TRUE(mazatlan.Contains(23.5480, -106.4650)) << "El Quelite, in the north";
  EXPECT_FALSE(mazatlan.Contains(0, 0));
  EXPECT_FALSE(mazatlan.Contains(23.2329, 106.4062)) << "a dropped sign";
  EXPECT_FALSE(mazatlan.Contains(24.8091, -107.3940)) << "Culiacán";

  auto set = LoadConfigFromString("[area]\nsouth = 20\nnorth = 21.5\nwest = -104\neast = -103\n",
                                  "t", Env({}));
  ASSERT_TRUE(set) << set.error().message;
  EXPECT_TRUE(set->channels.open311.area.Contains(20.67, -103.35));
  EXPECT_TRUE(set->conversation.area.Contains(20.67, -103.35));
  EXPECT_FALSE(set->conversation.area.Contains(23.2329, -106.4062));

  for (const char* bad : {"[area]\nsouth = 24\n", "[area]\nwest = -200\n", "[area]\nnorte = 1\n",
                          "[area]\neast = \"-105\"\n"}) {
    EXPECT_FALSE(LoadConfigFromString(bad, "t", Env({}))) << bad;
  }
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

TEST(ConfigLoaderTest, ServeRequiringSecondFactorsNeedsTheKeyThatSealsThem) {
  const std::string file =
      "[database]\nurl = \"host=x\"\n[staff_web]\nsecond_factor = \"required\"\n";
  auto without = LoadConfigFromString(file, "t", Env({}));
  ASSERT_TRUE(without) << without.error().message;
  const auto refused = ValidateForServe(*without);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("missing secret SAC_SECRET_KEY"));
  auto with = LoadConfigFromString(file, "t", Env({{"SAC_SECRET_KEY", std::string(64, 'a')}}));
  ASSERT_TRUE(with) << with.error().message;
  EXPECT_TRUE(ValidateForServe(*with));
}

TEST(ConfigLoaderTest, MessengerAndInstagramShareTheMetaAppsSecrets) {
  auto config = LoadConfigFromString(R"(
    [database]
    url = "host=x"
    [channels.messenger]
    enabled = true
    account_id = "104857600123456"
    [channels.instagram]
    enabled = true
    account_id = "17841400000000001"
    send_timeout_ms = 5000
  )", "t", Env({{"SAC_META_APP_SECRET", "app"}, {"SAC_META_VERIFY_TOKEN", "verify"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->channels.messenger.account_id, "104857600123456");
  EXPECT_EQ(config->channels.instagram.account_id, "17841400000000001");
  EXPECT_EQ(config->channels.instagram.send_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(config->channels.messenger.api_base_url, "https://graph.facebook.com/v21.0");
  for (const MetaChannelConfig* meta : {&config->channels.messenger, &config->channels.instagram}) {
    EXPECT_EQ(meta->app_secret, "app");
    EXPECT_EQ(meta->verify_token, "verify");
  }
  auto valid = ValidateForServe(*config);
  ASSERT_FALSE(valid);
  EXPECT_THAT(valid.error().message, HasSubstr("SAC_META_PAGE_TOKEN (channels.messenger"));
  EXPECT_THAT(valid.error().message, HasSubstr("SAC_META_PAGE_TOKEN (channels.instagram"));
  EXPECT_THAT(valid.error().message, ::testing::Not(HasSubstr("SAC_META_APP_SECRET")));

  auto refused = LoadConfigFromString(
      "[channels.instagram]\npage_token = \"EAAB\"\nacount_id = \"1\"\n"
      "[channels.messenger]\napi_base_url = \"graph.facebook.com\"\n",
      "t", Env({}));
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("channels.instagram.page_token"));
  EXPECT_THAT(refused.error().message, HasSubstr("SAC_META_PAGE_TOKEN"));
  EXPECT_THAT(refused.error().message, ::testing::Not(HasSubstr("EAAB")));
  EXPECT_THAT(refused.error().message, HasSubstr("unknown configuration key 'channels.instagram.acount_id'"));
  EXPECT_THAT(refused.error().message, HasSubstr("channels.messenger.api_base_url"));
}

TEST(ConfigLoaderTest, ServeNeedsADatabase) {
  auto config = LoadConfigFromString("", "t", Env({}));
  ASSERT_TRUE(config);
  auto valid = ValidateForServe(*config);
  ASSERT_FALSE(valid);
  EXPECT_THAT(valid.error().message, HasSubstr("SAC_DATABASE_URL"));
}

TEST(ConfigLoaderTest, TemplatesRatesAndTagsAreRead) {
  auto config = LoadConfigFromString(R"(
    [outbox]
    window_margin_seconds = 600
    [outbox.rate_per_second]
    whatsapp = 80
    telegram = 25
    [channels.whatsapp.templates.encuesta]
    name = "encuesta_satisfaccion_mensual"
    parameters = ["mes", "folio"]
    [channels.messenger]
    outside_window_tag = "HUMAN_AGENT"
  )", "test.toml", Env({}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->outbound.window_margin, std::chrono::seconds(600));
  EXPECT_EQ(config->outbound.rate_per_second.size(), 2u);
  EXPECT_EQ(config->outbound.rate_per_second.at("telegram"), 25);
  const WhatsAppTemplate& survey = config->channels.whatsapp.templates.at("encuesta");
  EXPECT_EQ(survey.name, "encuesta_satisfaccion_mensual");
  EXPECT_EQ(survey.language, "es_MX") << "the default";
  EXPECT_EQ(survey.parameters, (std::vector<std::string>{"mes", "folio"}));
  EXPECT_EQ(config->channels.messenger.outside_window_tag, "HUMAN_AGENT");
}

TEST(ConfigLoaderTest, BadTemplatesAndRatesNameTheKey) {
  auto config = LoadConfigFromString(R"(
    [outbox.rate_per_second]
    whatsapp = 0
    [channels.whatsapp.templates.encuesta]
    parameters = ["mes", 3]
    idioma = "es"
  )", "test.toml", Env({}));
  ASSERT_FALSE(config);
  EXPECT_THAT(config.error().message, HasSubstr("outbox.rate_per_second.whatsapp"));
  EXPECT_THAT(config.error().message,
              HasSubstr("channels.whatsapp.templates.encuesta.parameters: expected a list of strings"));
  EXPECT_THAT(config.error().message,
              HasSubstr("unknown configuration key 'channels.whatsapp.templates.encuesta.idioma'"));
  EXPECT_THAT(config.error().message, HasSubstr("channels.whatsapp.templates.encuesta.name is required"));
}

TEST(ConfigLoaderTest, TheDevFileLoads) {
  auto config = LoadConfig(testing::SourceDir() / "deploy/config/sac.dev.toml",
                           Env({{"SAC_DATABASE_URL", "host=/tmp"},
                                {"SAC_WHATSAPP_APP_SECRET", "a"},
                                {"SAC_WHATSAPP_VERIFY_TOKEN", "b"},
                                {"SAC_WHATSAPP_ACCESS_TOKEN", "c"},
                                {"SAC_TELEGRAM_BOT_TOKEN", "7012345678:d"},
                                {"SAC_TELEGRAM_SECRET_TOKEN", "e"},
                                {"SAC_META_APP_SECRET", "f"},
                                {"SAC_META_VERIFY_TOKEN", "g"},
                                {"SAC_META_PAGE_TOKEN", "h"},
                                {"SAC_TWILIO_AUTH_TOKEN", "i"},
                                {"SAC_PUBLIC_BASE_URL", "https://atencion.municipio.example"},
                                {"SAC_OPEN311_API_KEYS", "app_mazatlan:j,kiosko:k"},
                                {"SAC_MAILGUN_SIGNING_KEY", "l"},
                                {"SAC_EMAIL_WEBHOOK_TOKEN", "m"},
                                {"SAC_POSTMARK_TOKEN", "n"},
                                {"SAC_SENDGRID_TOKEN", "o"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_TRUE(config->channels.email.enabled);
  EXPECT_TRUE(config->channels.email.ses);
  EXPECT_TRUE(config->channels.twilio_sms.enabled);
  EXPECT_TRUE(config->channels.open311.enabled);
  ASSERT_EQ(config->channels.open311.api_keys.size(), 2u);
  EXPECT_EQ(config->channels.open311.api_keys[1].first, "kiosko");
  EXPECT_TRUE(config->channels.whatsapp.enabled);
  EXPECT_TRUE(config->channels.messenger.enabled);
  EXPECT_TRUE(config->channels.instagram.enabled);
  EXPECT_EQ(config->outbound.rate_per_second.at("whatsapp"), 60);
  EXPECT_EQ(config->channels.whatsapp.templates.at("encuesta").parameters,
            (std::vector<std::string>{"mes", "folio"}));
  EXPECT_EQ(config->channels.whatsapp.templates.at("aviso_atender").language, "es_MX");
  auto valid = ValidateForServe(*config);
  EXPECT_TRUE(valid) << valid.error().message;
}

TEST(ConfigLoaderTest, ChannelsNeedTheirSecretsAndTwilioThePublicUrl) {
  auto config = LoadConfigFromString(
      "[channels.twilio_sms]\nenabled = true\naccount_sid = \"AC1\"\nfrom_number = \"+526691000000\"\n"
      "[channels.open311]\nenabled = true\n",
      "test", Env({{"SAC_DATABASE_URL", "host=/tmp"}}));
  ASSERT_TRUE(config) << config.error().message;
  auto valid = ValidateForServe(*config);
  ASSERT_FALSE(valid);
  EXPECT_THAT(valid.error().message, HasSubstr("SAC_TWILIO_AUTH_TOKEN"));
  EXPECT_THAT(valid.error().message, HasSubstr("public_base_url"));
  EXPECT_THAT(valid.error().message, HasSubstr("SAC_OPEN311_API_KEYS"));
  EXPECT_FALSE(LoadConfigFromString("", "test", Env({{"SAC_OPEN311_API_KEYS", "sin-dos-puntos"}})));
}

TEST(ConfigLoaderTest, EmailOpensOnlyTheDoorsItHasSecretsFor) {
  const std::string toml =
      "[channels.email]\nenabled = true\nfrom_address = \"atencion@municipio.example\"\n"
      "raw_webhook = true\nmailgun = true\nses = true\nsmtp_username = \"sac\"\n";
  auto config = LoadConfigFromString(toml, "test", Env({{"SAC_DATABASE_URL", "host=/tmp"}}));
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_FALSE(config->channels.email.postmark);
  auto valid = ValidateForServe(*config);
  ASSERT_FALSE(valid);
  for (const char* missing : {"SAC_EMAIL_WEBHOOK_TOKEN", "SAC_MAILGUN_SIGNING_KEY", "SAC_SMTP_PASSWORD",
                              "ses_topic_arn"}) {
    EXPECT_THAT(valid.error().message, HasSubstr(missing));
  }
  EXPECT_THAT(valid.error().message, Not(HasSubstr("SAC_POSTMARK_TOKEN"))) << "a closed door";

  auto secret_in_file = LoadConfigFromString("[channels.email]\npostmark_token = \"x\"\n", "test", Env({}));
  ASSERT_FALSE(secret_in_file);
  EXPECT_THAT(secret_in_file.error().message, HasSubstr("SAC_POSTMARK_TOKEN"));
  auto bad = LoadConfigFromString(
      "[channels.email]\nsmtp_url = \"http://relay\"\nsns_cert_host_pattern = \"(\"\nfrom = 1\n", "test",
      Env({}));
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("channels.email.smtp_url"));
  EXPECT_THAT(bad.error().message, HasSubstr("channels.email.sns_cert_host_pattern"));
  EXPECT_THAT(bad.error().message, HasSubstr("'channels.email.from'"));
  auto no_address = LoadConfigFromString("[channels.email]\nenabled = true\nfrom_address = \"x\"\n",
                                         "test", Env({{"SAC_DATABASE_URL", "host=/tmp"}}));
  ASSERT_TRUE(no_address);
  EXPECT_FALSE(ValidateForServe(*no_address));
}

}  // namespace
}  // namespace sac
