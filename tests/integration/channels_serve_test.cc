// Every channel's fixtures through a real `sac serve` App: HTTP on a loopback port, PostgreSQL,
// the pipeline, the outbox, and a fake provider API per channel receiving the replies. Each
// fixture is accepted or rejected as ../shared/fixtures/channels/<name>/README.md says, and
// produces the boleta, note, status update or nothing that it should.
#include "app/app.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "http/curl_client.h"
#include "routing/dependencias.h"
#include "storage/database.h"
#include "tests/support/fake_provider.h"
#include "tests/support/served_app.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::app {
namespace {

using ::testing::HasSubstr;
using testing::TestDatabase;
using namespace std::chrono_literals;

constexpr const char* kTelegramSecret = "mzt_tg_secret_2026";
constexpr const char* kTelegramToken = "7012345678:AAtest-token";
constexpr const char* kTwilioToken = "mzt_test_twilio_auth_token";
constexpr const char* kTwilioAccount = "AC0123456789abcdef0123456789abcdef";
constexpr const char* kPublicBase = "https://atencion.municipio.example";
constexpr const char* kOpen311Key = "llave-de-la-app";

HttpResponse Jpeg() {
  HttpResponse photo;
  photo.content_type = "image/jpeg";
  photo.body = "\xFF\xD8\xFF\xE0 una foto de la luminaria";
  return photo;
}

class ChannelsServeTest : public ::testing::Test {
 protected:
  ChannelsServeTest()
      : telegram_api_(std::vector<testing::FakeRoute>{
            {"POST", std::string("/bot") + kTelegramToken + "/sendMessage",
             HttpResponse::Json(200, testing::ReadTestdata("telegram",
                                                           "outbound_sendMessage_response_ok.json"))},
            {"POST", std::string("/bot") + kTelegramToken + "/getFile",
             HttpResponse::Json(200, R"({"ok":true,"result":{"file_id":"x","file_path":"file_7.jpg"}})")},
            {"GET", std::string("/file/bot") + kTelegramToken + "/{path}", Jpeg()}}),
        twilio_api_(std::string("/2010-04-01/Accounts/") + kTwilioAccount + "/Messages.json",
                    HttpResponse::Json(201, R"({"sid":"SMreply1","status":"queued"})")) {}

  Config MakeConfig() {
    Config config;
    config.rules_dir = (testing::SourceDir() / "rules").string();
    config.http.port = 0;
    config.http.handler_threads = 4;
    config.database.url = db_.url();
    config.pipeline.poll_interval = 100ms;
    config.outbox.poll_interval = 100ms;
    TelegramConfig& tg = config.channels.telegram;
    tg.enabled = true;
    tg.api_base_url = telegram_api_.BaseUrl();
    tg.bot_token = kTelegramToken;
    tg.secret_token = kTelegramSecret;
    tg.send_timeout = 3000ms;
    config.http.public_base_url = kPublicBase;
    TwilioSmsConfig& tw = config.channels.twilio_sms;
    tw.enabled = true;
    tw.api_base_url = twilio_api_.BaseUrl() + "/2010-04-01";
    tw.account_sid = kTwilioAccount;
    tw.from_number = "+526691000000";
    tw.auth_token = kTwilioToken;
    tw.send_timeout = 3000ms;
    Open311Config& o311 = config.channels.open311;
    o311.enabled = true;
    o311.api_keys = {{"app_mazatlan", kOpen311Key}, {"kiosko", "otra-llave"}};
    o311.folio_wait = 5000ms;
    o311.media_hosts = {"app.mazatlan.example"};
    config.media.dir = media_dir_.string();
    config.media.allow_private_addresses = true;  // the fake providers listen on 127.0.0.1
    config.media.queue.poll_interval = 100ms;
    return config;
  }

  void SetUp() override {
    // The dependencias, as `sac seed` loads them: clear petitions are routed at once.
    db_.SeedDependencias();
    StartApp(MakeConfig());
  }

  void StartApp(const Config& config) {
    if (app_) app_->Stop();
    auto served = testing::Serve(config);
    ASSERT_TRUE(served.app);
    app_ = std::move(served.app);
    base_ = served.base_url;
  }
  void TearDown() override {
    if (app_) app_->Stop();
    std::filesystem::remove_all(media_dir_);
  }

  ClientResponse Post(const std::string& path, const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers) {
    ClientRequest request;
    request.url = base_ + path;
    request.headers = std::move(headers);
    request.body = body;
    auto response = client_.Execute(request);
    EXPECT_TRUE(response) << response.error().message;
    return response ? *response : ClientResponse{};
  }

  ClientResponse PostTelegram(const std::string& file, const std::string& secret = kTelegramSecret) {
    return Post("/webhooks/telegram", testing::ReadTestdata("telegram", file),
                {{"Content-Type", "application/json"},
                 {"X-Telegram-Bot-Api-Secret-Token", secret}});
  }

  // A Twilio fixture to the path its signature was computed for (signatures.txt:
  // "<file>\tURL=<url>\t<signature>").
  ClientResponse PostTwilio(const std::string& file, std::string content_type =
                                                         "application/x-www-form-urlencoded") {
    const std::string value = testing::ReadSignatures("twilio_sms").at(file);
    const auto tab = value.find('\t');
    const std::string path = value.substr(4, tab - 4).substr(std::string(kPublicBase).size());
    return Post(path, testing::ReadTestdata("twilio_sms", file),
                {{"Content-Type", content_type}, {"X-Twilio-Signature", value.substr(tab + 1)}});
  }

  ClientResponse Get(const std::string& target) { return testing::Get(client_, base_ + target); }

  ClientResponse PostOpen311(const std::string& form, std::string format = "json",
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
    headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    return Post("/open311/v2/requests." + format, form, headers);
  }

  // Waits until the pipeline and the outbox have nothing left to do.
  void WaitUntilQuiet() {
    for (int i = 0; i < 500; ++i) {
      if (db_.Count("SELECT (SELECT count(*) FROM inbox WHERE state = 'pending') + "
                    "(SELECT count(*) FROM outbox WHERE state IN ('pending', 'sending'))") == 0) {
        return;
      }
      std::this_thread::sleep_for(20ms);
    }
    FAIL() << "the pipeline did not finish in 10 s";
  }

  std::int64_t Rows(const std::string& table) { return db_.Count("SELECT count(*) FROM " + table); }

  TestDatabase db_;
  const std::filesystem::path media_dir_ =
      std::filesystem::temp_directory_path() / ("sac_media_serve_" + std::to_string(::getpid()));
  testing::FakeProvider telegram_api_;
  testing::FakeProvider twilio_api_;
  http::CurlHttpClient client_;
  std::unique_ptr<App> app_;
  std::string base_;
};

struct FixtureCase {
  const char* file;
  int new_boletas;
  int new_replies;
  int new_notes;
};

TEST_F(ChannelsServeTest, TelegramUpdatesHaveTheOutcomesTheirReadmeDescribes) {
  const FixtureCase cases[] = {
      {"update_start_command.json", 0, 1, 0},               // welcome, no boleta
      {"update_text_luminaria_villa_verde.json", 1, 1, 0},  // boleta (alumbrado) + folio
      // The photo and the pin come moments later: the same report (a burst), no reply to each.
      {"update_photo_caption.json", 0, 0, 1},
      {"update_location.json", 0, 0, 1},
      {"update_edited_message.json", 0, 0, 1},              // a note on the first boleta
      {"update_text_luminaria_villa_verde.json", 0, 0, 0},  // redelivery: nothing
  };
  for (const FixtureCase& c : cases) {
    SCOPED_TRACE(c.file);
    const auto boletas = Rows("boleta");
    const auto replies = Rows("outbox");
    const auto notes = Rows("boleta_note");
    const auto inbox = Rows("inbox");
    const auto raw = Rows("webhook_request");
    EXPECT_EQ(PostTelegram(c.file).status, 200);
    WaitUntilQuiet();
    EXPECT_EQ(Rows("boleta") - boletas, c.new_boletas);
    EXPECT_EQ(Rows("outbox") - replies, c.new_replies);
    EXPECT_EQ(Rows("boleta_note") - notes, c.new_notes);
    if (&c == &cases[std::size(cases) - 1]) {  // the redelivery: not even a row or a raw request
      EXPECT_EQ(Rows("inbox"), inbox);
      EXPECT_EQ(Rows("webhook_request"), raw);
    } else {
      EXPECT_EQ(Rows("inbox") - inbox, 1);
    }
  }
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id FROM boleta ORDER BY id LIMIT 1"), "alumbrado_publico");
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta_note ORDER BY id DESC LIMIT 1"),
              HasSubstr("calle Sauce"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media WHERE kind = 'image'"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta WHERE latitude IS NOT NULL"), 1);
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox ORDER BY id LIMIT 1"),
              HasSubstr("Aviso de privacidad")) << "with the first reply on the channel";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE body LIKE '%Aviso de privacidad%'"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen"), 1) << "one chat, one citizen";

  // Every reply reached the Bot API, addressed to the chat, and was recorded with its id.
  std::vector<HttpRequest> sends;
  for (const HttpRequest& request : telegram_api_.WaitForRequests(2)) {
    if (request.path.ends_with("/sendMessage")) sends.push_back(request);
  }
  ASSERT_EQ(sends.size(), 2u);
  for (const HttpRequest& request : sends) {
    EXPECT_THAT(request.body, HasSubstr("\"chat_id\":\"512345678\""));
  }
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE state = 'sent' AND "
                      "provider_message_id = '512345678:1204'"),
            2);
}

// An update SAC does not act on is acknowledged and kept, marked ignored with what it was: new
// kinds of update show up in the inbox instead of vanishing, and a redelivery adds nothing.
TEST_F(ChannelsServeTest, TelegramUpdatesSacDoesNotActOnAreKeptAsIgnoredWithTheirReason) {
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/json"}, {"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}};
  const std::string inline_query =
      R"({"update_id":900001,"inline_query":{"id":"77","from":{"id":9,"first_name":"A"},"query":"x"}})";
  const std::string group_message =
      R"({"update_id":900002,"message":{"message_id":5,"chat":{"id":-100,"type":"group"},"text":"hola"}})";
  EXPECT_EQ(Post("/webhooks/telegram", inline_query, headers).status, 200);
  EXPECT_EQ(Post("/webhooks/telegram", group_message, headers).status, 200);
  EXPECT_EQ(Post("/webhooks/telegram", inline_query, headers).status, 200) << "a redelivery";
  WaitUntilQuiet();
  EXPECT_EQ(db_.Scalar("SELECT string_agg(dedupe_key || ' ' || kind || ' ' || state || ' ' || outcome,"
                       " ',' ORDER BY id) FROM inbox"),
            "update:900001 unhandled ignored telegram update 'inline_query' is not a private "
            "message from a person,update:900002 unhandled ignored telegram update 'message' is "
            "not a private message from a person");
  EXPECT_EQ(Rows("webhook_request"), 2);
  EXPECT_EQ(Rows("boleta") + Rows("outbox") + Rows("citizen"), 0);
}

TEST_F(ChannelsServeTest, TelegramPhotosAreDownloadedAfterTheAckAndStoredByContent) {
  EXPECT_EQ(PostTelegram("update_photo_caption.json").status, 200);
  WaitUntilQuiet();
  for (int i = 0; i < 200 && db_.Scalar("SELECT download_state FROM boleta_media") == "pending"; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(db_.Scalar("SELECT download_state FROM boleta_media"), "stored");
  const std::string sha = db_.Scalar("SELECT file_sha256 FROM boleta_media");
  EXPECT_TRUE(std::filesystem::exists(media_dir_ / sha.substr(0, 2) / sha));
  EXPECT_EQ(db_.Scalar("SELECT size_bytes FROM boleta_media"), std::to_string(Jpeg().body.size()));
  // getFile was asked for the largest size's file id, then the file was fetched.
  bool asked = false;
  for (const HttpRequest& request : telegram_api_.Requests()) {
    asked = asked || (request.path.ends_with("/getFile") && request.body.find("ADeQADNAQ") != std::string::npos);
  }
  EXPECT_TRUE(asked);
}

TEST_F(ChannelsServeTest, ATelegramButtonTapIsAnsweredInTheResponse) {
  const ClientResponse response = PostTelegram("update_callback_query_menu.json");
  EXPECT_EQ(response.status, 200);
  EXPECT_THAT(response.body, HasSubstr("\"method\":\"answerCallbackQuery\""));
  EXPECT_THAT(response.body, HasSubstr("2200541187723911234"));
  WaitUntilQuiet();
  EXPECT_EQ(db_.Scalar("SELECT state FROM inbox"), "processed");
}

TEST_F(ChannelsServeTest, ACitizenWhoBlockedTheBotGetsNothingMoreUntilTheyWriteAgain) {
  EXPECT_EQ(PostTelegram("update_start_command.json").status, 200);
  telegram_api_.WaitForRequests(1);
  WaitUntilQuiet();
  EXPECT_EQ(PostTelegram("update_my_chat_member_blocked.json").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity WHERE blocked_at IS NOT NULL"), 1);

  // A reply queued for the blocked chat is refused here, not sent.
  db_.Execute("INSERT INTO outbox (channel, recipient, purpose, body) "
              "VALUES ('telegram', '512345678', 'aviso', 'hola')");
  WaitUntilQuiet();
  EXPECT_EQ(db_.Scalar("SELECT last_error FROM outbox WHERE purpose = 'aviso'"),
            "the citizen blocked us on this channel");
  EXPECT_EQ(telegram_api_.Requests().size(), 1u);

  // Writing again lifts the block.
  EXPECT_EQ(PostTelegram("update_text_luminaria_villa_verde.json").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity WHERE blocked_at IS NOT NULL"), 0);
  EXPECT_EQ(telegram_api_.WaitForRequests(2).size(), 2u);
}

TEST_F(ChannelsServeTest, TelegramBadInputIsRefusedAndWritesNothing) {
  EXPECT_EQ(PostTelegram("update_text_luminaria_villa_verde.json", "wrong").status, 401);
  EXPECT_EQ(Post("/webhooks/telegram", testing::ReadTestdata("telegram", "update_start_command.json"),
                 {{"Content-Type", "application/json"}})
                .status,
            401);
  EXPECT_EQ(Post("/webhooks/telegram", "{\"update_id\":",
                 {{"Content-Type", "application/json"}, {"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}})
                .status,
            400);
  EXPECT_EQ(Post("/webhooks/telegram", testing::ReadTestdata("telegram", "update_start_command.json"),
                 {{"Content-Type", "text/plain"}, {"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}})
                .status,
            415);
  EXPECT_EQ(Post("/webhooks/telegram", std::string(1024 * 1024 + 1, ' '),
                 {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}})
                .status,
            413);
  // Invalid UTF-8 and JSON nested past the reader's limit: refused before anything is stored.
  EXPECT_EQ(Post("/webhooks/telegram", "{\"update_id\":1,\"message\":{\"text\":\"\xC3\x28\"}}",
                 {{"Content-Type", "application/json"}, {"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}})
                .status,
            400);
  EXPECT_EQ(Post("/webhooks/telegram", std::string(100, '[') + std::string(100, ']'),
                 {{"Content-Type", "application/json"}, {"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}})
                .status,
            400);
  EXPECT_EQ(Post("/webhooks/telegrams", "{}", {}).status, 404);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
}

TEST_F(ChannelsServeTest, TwilioMessagesBecomeBoletasAndRepliesGoOutAsSms) {
  const ClientResponse sms = PostTwilio("inbound_sms_fuga_agua.form");
  EXPECT_EQ(sms.status, 200);
  EXPECT_THAT(sms.body, HasSubstr("<Response/>")) << "never a text/plain body: Twilio would text it";
  EXPECT_EQ(PostTwilio("inbound_mms_luminaria.form").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(Rows("boleta"), 2);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(dependencia_id, ',' ORDER BY dependencia_id) FROM boleta"),
            "alumbrado_publico,jumapam");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media WHERE kind = 'image'"), 1);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(phone, ',' ORDER BY phone) FROM citizen"),
            "+526691234504,+526691234505");

  const auto replies = twilio_api_.WaitForRequests(2);
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_THAT(replies[0].body + replies[1].body, HasSubstr("To=%2B526691234504"));
  EXPECT_THAT(replies[0].body + replies[1].body, HasSubstr("To=%2B526691234505"));
  EXPECT_THAT(replies[0].body, HasSubstr("From=%2B526691000000"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE state = 'sent' AND provider_message_id = 'SMreply1'"), 2);

  // Redelivered: nothing new.
  EXPECT_EQ(PostTwilio("inbound_sms_fuga_agua.form").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(Rows("boleta"), 2);
}

TEST_F(ChannelsServeTest, TwilioStatusCallbacksUpdateTheReplyAndCreateNoBoleta) {
  db_.Execute("INSERT INTO outbox (channel, recipient, purpose, body, state, provider_message_id, sent_at) "
              "VALUES ('twilio_sms', '+526691234504', 'acuse_boleta', 'x', 'sent', "
              "'SMa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6', now())");
  EXPECT_EQ(PostTwilio("status_callback_delivered_no_ticket.form").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(db_.Scalar("SELECT delivery_status FROM outbox"), "delivered");
  EXPECT_EQ(Rows("boleta"), 0);
}

TEST_F(ChannelsServeTest, TwilioBadInputIsRefusedAndWritesNothing) {
  EXPECT_EQ(PostTwilio("inbound_sms_fuga_agua.form", "application/json").status, 415);
  EXPECT_EQ(Post("/webhooks/twilio/sms", testing::ReadTestdata("twilio_sms", "inbound_sms_fuga_agua.form"),
                 {{"Content-Type", "application/x-www-form-urlencoded"},
                  {"X-Twilio-Signature", "VCqkymsmX+urPmbUqEdh/W+s4lV="}})
                .status,
            401);
  EXPECT_EQ(Post("/webhooks/twilio/sms", "MessageSid=a%ZZ",
                 {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", "x"}})
                .status,
            401);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
}

// --- Open311 (the municipal app) ----------------------------------------------------------------

constexpr const char* kPothole =
    "api_key=llave-de-la-app&jurisdiction_id=mazatlan.gob.mx&service_code=bache"
    "&lat=23.2329&long=-106.4062&address_string=Av.+del+Mar+y+Rio+Presidio"
    "&description=Bache+enorme+frente+al+Oxxo%2C+ya+se+cayo+un+motociclista"
    "&media_url=https%3A%2F%2Fapp.mazatlan.example%2Ffotos%2F1.jpg&phone=6691234501";

TEST_F(ChannelsServeTest, AnOpen311ClientOverItsRequestsPerMinuteWaitsAndOthersDoNot) {
  Config config = MakeConfig();
  config.channels.open311.requests_per_minute = 3;
  StartApp(config);
  const std::string mine = "/open311/v2/requests.json?api_key=llave-de-la-app";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Get(mine).status, 200) << i;
  const ClientResponse refused = Get(mine);
  EXPECT_EQ(refused.status, 429);
  const int retry_after = std::stoi(std::string(refused.headers.Get("Retry-After").value_or("0")));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 20) << "one request every 20 s at 3 a minute";
  EXPECT_THAT(refused.body, HasSubstr("too many requests"));
  EXPECT_EQ(PostOpen311(kPothole).status, 429) << "the same client posting";
  EXPECT_EQ(Rows("inbox"), 0) << "nothing stored for a refused request";
  EXPECT_EQ(Get("/open311/v2/requests.json?api_key=otra-llave").status, 200)
      << "another client has its own";

  // One abuser with the app's key, behind our proxy: their address runs out, not everyone's.
  config.channels.open311.requests_per_minute = 100;
  config.channels.open311.requests_per_minute_per_address = 2;
  StartApp(config);
  const auto from = [&](const std::string& address) {
    ClientRequest request;
    request.method = "GET";
    request.url = base_ + mine;
    request.headers.emplace_back("X-Forwarded-For", address);
    auto response = client_.Execute(request);
    EXPECT_TRUE(response) << response.error().message;
    return response ? response->status : 0;
  };
  EXPECT_EQ(from("203.0.113.5"), 200);
  EXPECT_EQ(from("203.0.113.5"), 200);
  EXPECT_EQ(from("203.0.113.5"), 429);
  EXPECT_EQ(from("198.51.100.7"), 200) << "another app user, same key";
}

TEST_F(ChannelsServeTest, Open311DescribesItselfAndItsServices) {
  const ClientResponse discovery = Get("/open311/v2/discovery.json");
  EXPECT_EQ(discovery.status, 200);
  EXPECT_THAT(discovery.body, HasSubstr("https://atencion.municipio.example/open311/v2"));
  const ClientResponse services = Get("/open311/v2/services.json?jurisdiction_id=mazatlan.gob.mx");
  EXPECT_EQ(services.status, 200);
  EXPECT_THAT(services.body, HasSubstr("\"service_code\":\"bache\""));
  EXPECT_THAT(services.body, HasSubstr("\"group\":\"Dirección de Obras Públicas\""));
  const ClientResponse xml = Get("/open311/v2/services.xml");
  EXPECT_THAT(xml.body, HasSubstr("<services><service><service_code>"));
  EXPECT_EQ(Get("/open311/v2/services/bache.json").status, 200);
  EXPECT_EQ(Get("/open311/v2/services/nada.json").status, 404);
  EXPECT_EQ(Get("/open311/v2/services.json?jurisdiction_id=culiacan.gob.mx").status, 404);
}

TEST_F(ChannelsServeTest, AnOpen311RequestBecomesABoletaWithItsFolioRoutedByItsServiceCode) {
  const ClientResponse posted = PostOpen311(kPothole);
  ASSERT_EQ(posted.status, 200) << posted.body;
  WaitUntilQuiet();
  const std::string folio = db_.Scalar("SELECT folio FROM boleta");
  EXPECT_THAT(posted.body, HasSubstr("\"service_request_id\":\"" + folio + "\""));
  EXPECT_EQ(db_.Scalar("SELECT status || ':' || dependencia_id || ':' || categoria FROM boleta"),
            "canalizada:obras_publicas:bache");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta WHERE latitude IS NOT NULL"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media"), 1);
  EXPECT_EQ(db_.Scalar("SELECT phone FROM citizen"), "+526691234501");
  EXPECT_EQ(Rows("outbox"), 0) << "the app reads the status; nothing is sent";

  const ClientResponse one = Get("/open311/v2/requests/" + folio + ".json?api_key=llave-de-la-app");
  EXPECT_EQ(one.status, 200);
  EXPECT_THAT(one.body, HasSubstr("\"status\":\"open\""));
  EXPECT_THAT(one.body, HasSubstr("\"agency_responsible\":\"Dirección de Obras Públicas\""));
  EXPECT_THAT(one.body, HasSubstr("\"media_url\":\"https://app.mazatlan.example/fotos/1.jpg\""));
  EXPECT_THAT(Get("/open311/v2/requests/" + folio + ".xml?api_key=llave-de-la-app").body,
              HasSubstr("<service_requests><request><service_request_id>" + folio));
  EXPECT_THAT(Get("/open311/v2/requests.json?api_key=llave-de-la-app&status=open").body,
              HasSubstr(folio));
  EXPECT_EQ(Get("/open311/v2/requests.json?api_key=llave-de-la-app&status=closed").body, "[]");

  // Another client of the API does not see the citizens of this one.
  EXPECT_EQ(Get("/open311/v2/requests/" + folio + ".json?api_key=otra-llave").status, 404);
  EXPECT_EQ(Get("/open311/v2/requests.json?api_key=otra-llave").body, "[]");
  EXPECT_EQ(Get("/open311/v2/requests.json").status, 403);

  // Attended: closed, with what the dependencia wrote.
  db_.Execute("UPDATE boleta SET status = 'atendida'");
  db_.Execute("INSERT INTO boleta_note (boleta_id, author_kind, author, text) "
              "SELECT id, 'dependencia', 'obras', 'Bacheado el 12 de marzo.' FROM boleta");
  const ClientResponse closed = Get("/open311/v2/requests/" + folio + ".json?api_key=llave-de-la-app");
  EXPECT_THAT(closed.body, HasSubstr("\"status\":\"closed\""));
  EXPECT_THAT(closed.body, HasSubstr("\"status_notes\":\"Bacheado el 12 de marzo.\""));
}

TEST_F(ChannelsServeTest, AnOpen311RetryWithTheSameIdempotencyKeyGetsTheSameFolio) {
  const ClientResponse first = PostOpen311(kPothole, "json", {{"Idempotency-Key", "k-1"}});
  ASSERT_EQ(first.status, 200);
  const ClientResponse retry = PostOpen311(kPothole, "json", {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(retry.status, 200);
  EXPECT_EQ(retry.body, first.body);
  EXPECT_EQ(Rows("boleta"), 1);
  const ClientResponse other = PostOpen311(std::string(kPothole) + "&first_name=Otra", "json",
                                           {{"Idempotency-Key", "k-1"}});
  EXPECT_EQ(other.status, 422);
  EXPECT_EQ(PostOpen311(kPothole, "json", {{"Idempotency-Key", "k-2"}}).status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(Rows("boleta"), 2);
}

TEST_F(ChannelsServeTest, WhenTheFolioIsNotReadyInTimeTheAppGetsATokenToAskLater) {
  Config config = MakeConfig();
  config.channels.open311.folio_wait = 0ms;
  config.pipeline.workers = 0;  // nothing processes the request until the token is answered
  StartApp(config);
  const ClientResponse posted = PostOpen311(kPothole, "xml");
  ASSERT_EQ(posted.status, 200);
  EXPECT_THAT(posted.body, HasSubstr("<token>"));
  const std::string token = db_.Scalar("SELECT token FROM open311_request");
  const ClientResponse pending = Get("/open311/v2/tokens/" + token + ".json");
  EXPECT_EQ(pending.body, "[{\"token\":\"" + token + "\",\"service_request_id\":null}]");

  StartApp(MakeConfig());  // workers again: the same inbox row is processed
  WaitUntilQuiet();
  const std::string folio = db_.Scalar("SELECT folio FROM boleta");
  EXPECT_THAT(Get("/open311/v2/tokens/" + token + ".json").body, HasSubstr(folio));
  EXPECT_EQ(Get("/open311/v2/tokens/desconocido.json").status, 404);
}

TEST_F(ChannelsServeTest, Open311BadInputGetsTheSpecsErrorListAndWritesNothing) {
  struct Case {
    std::string form;
    int status;
  };
  const std::string base = "api_key=llave-de-la-app&service_code=bache&description=hoyo";
  const std::vector<Case> cases = {
      {base + "&lat=999&long=-106", 400},
      {base + "&lat=NaN&long=-106", 400},
      {"api_key=llave-de-la-app&service_code=bache_marciano&lat=23&long=-106&description=x", 400},
      {base + "&lat=23&long=-106&email=no-es-un-correo", 400},
      {"api_key=llave-de-la-app&service_code=bache&lat=23&long=-106&description=" + std::string(1000000, 'a'), 400},
      {base + "&lat=23&long=-106&description=otra", 400},  // parameter pollution
      {base + "&lat=23&long=%ZZ", 400},
      {base + "&lat=23&long=-106%", 400},  // a lone %
      {base + "%&lat=23&long=-106", 400},
      {"service_code=bache&lat=23&long=-106&description=x", 403},
      {"api_key=mala&service_code=bache&lat=23&long=-106&description=x", 403},
      {base + "&lat=23&long=-106&jurisdiction_id=culiacan.gob.mx", 404},
      // a photo on a host the municipality did not register for the app (ASVS 1.3.6)
      {base + "&lat=23&long=-106&media_url=https%3A%2F%2F169.254.169.254%2Flatest%2Fmeta-data", 400},
      {base + "&lat=23&long=-106&media_url=https%3A%2F%2Fapp.mazatlan.example.evil.mx%2F1.jpg", 400},
      // places the municipality does not attend: a phone without a fix, a dropped sign, Culiacán
      {base + "&lat=0&long=0", 400},
      {base + "&lat=23.2329&long=106.4062", 400},
      {base + "&lat=24.8091&long=-107.3940", 400},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.form.substr(0, 100));
    const ClientResponse response = PostOpen311(c.form);
    EXPECT_EQ(response.status, c.status);
    EXPECT_THAT(response.body, HasSubstr("\"code\":" + std::to_string(c.status)));
    if (c.form.find("lat=0&") != std::string::npos) {
      EXPECT_THAT(response.body, HasSubstr("fuera del municipio"));
    }
  }
  std::string flood;
  for (int i = 0; i < 100000; ++i) flood += "p=1&";
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(PostOpen311(flood).status, 400);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(Post("/open311/v2/requests.json", base + "&lat=23&long=-106", {{"Content-Type", "application/json"}}).status,
            415);
  EXPECT_EQ(PostOpen311(std::string(1024 * 1024 + 1, 'a')).status, 413);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox") + Rows("open311_request"), 0);
}

}  // namespace
}  // namespace sac::app
