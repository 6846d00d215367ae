// Every channel's fixtures through a real `sac serve` App: HTTP on a loopback port, PostgreSQL,
// the pipeline, the outbox, and a fake provider API per channel receiving the replies. Each
// fixture is accepted or rejected as ../shared/fixtures/channels/<name>/README.md says, and
// produces the boleta, note, status update or nothing that it should.
#include "app/app.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "http/curl_client.h"
#include "routing/dependencias.h"
#include "storage/database.h"
#include "tests/support/fake_provider.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::app {
namespace {

using ::testing::HasSubstr;
using testing::TestDatabase;
using namespace std::chrono_literals;

constexpr const char* kTelegramSecret = "mzt_tg_secret_2026";
constexpr const char* kTelegramToken = "7012345678:AAtest-token";

class ChannelsServeTest : public ::testing::Test {
 protected:
  ChannelsServeTest()
      : telegram_api_(std::string("/bot") + kTelegramToken + "/sendMessage",
                      HttpResponse::Json(200, testing::ReadTestdata(
                                                  "telegram", "outbound_sendMessage_response_ok.json"))) {}

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
    return config;
  }

  void SetUp() override {
    // The dependencias, as `sac seed` loads them: clear petitions are routed at once.
    storage::Database database(db_.Settings());
    auto dependencias = routing::LoadDependencias(testing::SourceDir() / "rules/dependencias.toml");
    ASSERT_TRUE(dependencias);
    ASSERT_TRUE(database.Transact(
        [&](storage::Tx& tx) { return routing::UpsertDependencias(tx, *dependencias); }));
    auto app = App::Create(MakeConfig());
    ASSERT_TRUE(app) << app.error().message;
    app_ = std::move(*app);
    auto port = app_->Start();
    ASSERT_TRUE(port) << port.error().message;
    base_ = "http://127.0.0.1:" + std::to_string(*port);
  }
  void TearDown() override {
    if (app_) app_->Stop();
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
  testing::FakeProvider telegram_api_;
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
      {"update_photo_caption.json", 1, 1, 0},
      {"update_location.json", 1, 1, 0},
      {"update_edited_message.json", 0, 0, 1},              // a note on the first boleta
      {"update_text_luminaria_villa_verde.json", 0, 0, 0},  // redelivery: nothing
  };
  for (const FixtureCase& c : cases) {
    SCOPED_TRACE(c.file);
    const auto boletas = Rows("boleta");
    const auto replies = Rows("outbox");
    const auto notes = Rows("boleta_note");
    EXPECT_EQ(PostTelegram(c.file).status, 200);
    WaitUntilQuiet();
    EXPECT_EQ(Rows("boleta") - boletas, c.new_boletas);
    EXPECT_EQ(Rows("outbox") - replies, c.new_replies);
    EXPECT_EQ(Rows("boleta_note") - notes, c.new_notes);
  }
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id FROM boleta ORDER BY id LIMIT 1"), "alumbrado_publico");
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta_note"), HasSubstr("calle Sauce"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_media WHERE kind = 'image'"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta WHERE latitude IS NOT NULL"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen"), 1) << "one chat, one citizen";

  // Every reply reached the Bot API, addressed to the chat, and was recorded with its id.
  const auto requests = telegram_api_.WaitForRequests(4);
  ASSERT_EQ(requests.size(), 4u);
  for (const HttpRequest& request : requests) {
    EXPECT_THAT(request.body, HasSubstr("\"chat_id\":\"512345678\""));
  }
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox WHERE state = 'sent' AND "
                      "provider_message_id = '512345678:1204'"),
            4);
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
  EXPECT_EQ(Post("/webhooks/telegram", "{\"update_id\":", {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}})
                .status,
            400);
  EXPECT_EQ(Post("/webhooks/telegram", std::string(1024 * 1024 + 1, ' '),
                 {{"X-Telegram-Bot-Api-Secret-Token", kTelegramSecret}})
                .status,
            413);
  EXPECT_EQ(Post("/webhooks/telegrams", "{}", {}).status, 404);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
}

}  // namespace
}  // namespace sac::app
