// Messenger and Instagram through a real `sac serve` App: signed fixtures over HTTP on a loopback
// port, PostgreSQL, the pipeline, the outbox, and a fake Graph API per channel receiving the
// replies. Each fixture is accepted or refused as channels/meta/testdata/*/README.md says and
// produces the boleta, reply, note, delivery status or nothing that it should.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "app/app.h"
#include "crypto/digest.h"
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

constexpr const char* kAppSecret = "mzt_test_app_secret";
constexpr const char* kPageId = "104857600123456";
constexpr const char* kPsid = "7012345678901234";
constexpr const char* kIgAccountId = "17841400000000001";
constexpr const char* kIgsid = "1283746509182736";
constexpr const char* kPageToken = "test-page-token";
// The message id the fake Graph API answers, and the one delivery_no_ticket.json reports.
constexpr const char* kSentMid = "m_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn7Mm6Ll5Kk4Jj3Ii2Hh1";

HttpResponse SentOk() {
  return HttpResponse::Json(
      200, testing::ReadTestdata("meta", "messenger/outbound_send_response_ok.json"));
}

class MetaServeTest : public ::testing::Test {
 protected:
  MetaServeTest()
      : messenger_api_("/v21.0/me/messages", SentOk()),
        instagram_api_("/v21.0/me/messages", SentOk()) {}

  static MetaChannelConfig ChannelConfig(const testing::FakeProvider& api, const char* account) {
    MetaChannelConfig meta;
    meta.enabled = true;
    meta.api_base_url = api.BaseUrl() + "/v21.0";
    meta.account_id = account;
    meta.app_secret = kAppSecret;
    meta.verify_token = "mzt-verify-2026";
    meta.page_token = kPageToken;
    meta.send_timeout = 3000ms;
    return meta;
  }

  Config MakeConfig() {
    Config config;
    config.rules_dir = (testing::SourceDir() / "rules").string();
    config.http.port = 0;
    config.http.handler_threads = 4;
    config.database.url = db_.url();
    config.pipeline.poll_interval = 100ms;
    config.outbox.poll_interval = 100ms;
    config.channels.messenger = ChannelConfig(messenger_api_, kPageId);
    config.channels.instagram = ChannelConfig(instagram_api_, kIgAccountId);
    return config;
  }

  void SetUp() override {
    // The dependencias, as `sac seed` loads them: clear petitions are routed at once.
    db_.SeedDependencias();
    auto served = testing::Serve(MakeConfig());
    ASSERT_TRUE(served.app);
    app_ = std::move(served.app);
    base_ = served.base_url;
  }
  void TearDown() override {
    if (app_) app_->Stop();
  }

  ClientResponse Execute(ClientRequest request) {
    auto response = client_.Execute(request);
    EXPECT_TRUE(response) << response.error().message;
    return response ? *response : ClientResponse{};
  }

  ClientResponse Post(const std::string& route, const std::string& body,
                      std::optional<std::string> signature) {
    ClientRequest request;
    request.url = base_ + "/webhooks/" + route;
    request.headers = {{"Content-Type", "application/json"}};
    if (signature) request.headers.emplace_back("X-Hub-Signature-256", *signature);
    request.body = body;
    return Execute(std::move(request));
  }

  // A fixture of testdata/<folder>/ to /webhooks/<folder>, with its signature from signatures.txt.
  ClientResponse PostFixture(const std::string& folder, const std::string& file) {
    return Post(folder, testing::ReadTestdata("meta", folder + "/" + file),
                testing::ReadSignatures("meta", folder).at(file));
  }

  static std::string Sign(std::string_view body) {
    return "sha256=" + crypto::HmacSha256Hex(kAppSecret, body);
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
  testing::FakeProvider messenger_api_;
  testing::FakeProvider instagram_api_;
  http::CurlHttpClient client_;
  std::unique_ptr<App> app_;
  std::string base_;
};

struct FixtureCase {
  const char* file;
  int new_boletas;
  int new_replies;
  int new_notes;
  int new_inbox_rows;
};

TEST_F(MetaServeTest, MessengerFixturesHaveTheOutcomesTheirReadmeDescribes) {
  const FixtureCase cases[] = {
      {"postback_get_started.json", 0, 1, 0, 1},          // the welcome; no boleta yet
      {"text_basura_infonavit_playas.json", 1, 1, 0, 1},  // boleta (basura) + folio
      {"image_attachment_luminaria.json", 0, 0, 1, 1},    // moments later: the same report
      // "Alumbrado público", another dependencia: its own boleta, and where is it?
      {"quick_reply_menu_alumbrado.json", 1, 2, 0, 1},
      {"echo_own_message_ignore.json", 0, 0, 0, 0},       // our own reply: nothing stored
      {"delivery_no_ticket.json", 0, 0, 0, 1},            // a delivery row, no boleta
      {"read_no_ticket.json", 0, 0, 0, 1},
      {"text_basura_infonavit_playas.json", 0, 0, 0, 0},  // redelivery: nothing
  };
  for (const FixtureCase& c : cases) {
    SCOPED_TRACE(c.file);
    const auto boletas = Rows("boleta");
    const auto replies = Rows("outbox");
    const auto notes = Rows("boleta_note");
    const auto inbox = Rows("inbox");
    EXPECT_EQ(PostFixture("messenger", c.file).status, 200);
    WaitUntilQuiet();
    EXPECT_EQ(Rows("boleta") - boletas, c.new_boletas);
    EXPECT_EQ(Rows("outbox") - replies, c.new_replies);
    EXPECT_EQ(Rows("boleta_note") - notes, c.new_notes);
    EXPECT_EQ(Rows("inbox") - inbox, c.new_inbox_rows);
  }
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE state NOT IN ('processed', 'ignored')"), 0);
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id FROM boleta ORDER BY id LIMIT 1"), "aseo_urbano");
  EXPECT_EQ(db_.Scalar("SELECT provider_media_id FROM boleta_media"),
            "https://scontent.xx.fbcdn.net/v/t1.15752-9/"
            "481234567_1122334455_n.jpg?_nc_cat=1&oh=00_AbC&oe=66F0A1B2");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen"), 1) << "one PSID, one citizen";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity WHERE channel = 'messenger' AND "
                      "external_id = '" +
                      std::string(kPsid) + "'"),
            1);

  // Every reply reached the Send API with the Page token, addressed to the PSID, and was recorded
  // with the message id it got; the delivery receipt named that id, the read receipt covers it.
  const auto requests = messenger_api_.WaitForRequests(4);
  ASSERT_EQ(requests.size(), 4u);
  for (const HttpRequest& request : requests) {
    EXPECT_EQ(request.query, std::string("access_token=") + kPageToken);
    EXPECT_THAT(request.body, HasSubstr(R"("recipient":{"id":"7012345678901234"})"));
    EXPECT_THAT(request.body, HasSubstr(R"("messaging_type":"RESPONSE")"));
  }
  EXPECT_THAT(requests[0].body, HasSubstr("Atenci\xC3\xB3n Ciudadana"));  // the welcome
  EXPECT_EQ(
      db_.Count("SELECT count(*) FROM outbox WHERE state = 'sent' AND provider_message_id = '" +
                std::string(kSentMid) + "'"),
      4);
  EXPECT_TRUE(instagram_api_.Requests().empty());
  EXPECT_EQ(db_.Count("SELECT count(*) FROM delivery_event WHERE channel = 'messenger'"), 1);
}

TEST_F(MetaServeTest, InstagramFixturesHaveTheOutcomesTheirReadmeDescribes) {
  const FixtureCase cases[] = {
      {"text_fuga_agua.json", 1, 1, 0, 1},          // boleta (agua) + folio
      {"image_attachment_bache.json", 0, 0, 1, 1},  // moments later: added to the same report
      {"unsent_message_deleted.json", 0, 0, 1, 1},  // a note on the boleta the photo is on
      {"echo_own_message_ignore.json", 0, 0, 0, 0},
      {"unsent_message_deleted.json", 0, 0, 0, 0},  // redelivery: nothing
      {"text_fuga_agua.json", 0, 0, 0, 0},
  };
  for (const FixtureCase& c : cases) {
    SCOPED_TRACE(c.file);
    const auto boletas = Rows("boleta");
    const auto replies = Rows("outbox");
    const auto notes = Rows("boleta_note");
    const auto inbox = Rows("inbox");
    EXPECT_EQ(PostFixture("instagram", c.file).status, 200);
    WaitUntilQuiet();
    EXPECT_EQ(Rows("boleta") - boletas, c.new_boletas);
    EXPECT_EQ(Rows("outbox") - replies, c.new_replies);
    EXPECT_EQ(Rows("boleta_note") - notes, c.new_notes);
    EXPECT_EQ(Rows("inbox") - inbox, c.new_inbox_rows);
  }
  EXPECT_EQ(db_.Scalar("SELECT dependencia_id FROM boleta ORDER BY id LIMIT 1"), "jumapam");
  EXPECT_THAT(db_.Scalar("SELECT provider_media_id FROM boleta_media"),
              HasSubstr("lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=18012345678901234"));
  // The unsend is noted on the boleta the photo created; the boleta keeps the photo (the record).
  EXPECT_EQ(
      db_.Scalar("SELECT b.id = m.boleta_id FROM boleta_note n JOIN boleta b ON b.id = n.boleta_id "
                 "JOIN boleta_media m ON m.boleta_id = b.id"),
      "t");
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta_note ORDER BY id DESC LIMIT 1"), HasSubstr("borr"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity WHERE channel = 'instagram'"), 1);

  const auto requests = instagram_api_.WaitForRequests(1);
  ASSERT_EQ(requests.size(), 1u) << "the acknowledgement; the photo moments later gets no reply";
  for (const HttpRequest& request : requests) {
    EXPECT_THAT(request.body, HasSubstr(R"("recipient":{"id":"1283746509182736"})"));
  }
  EXPECT_TRUE(messenger_api_.Requests().empty());
}

TEST_F(MetaServeTest, DeliveryAndReadReceiptsAdvanceTheOutboxByMidAndByWatermark) {
  // Messages we sent the citizen (and someone else) before the receipts arrive: one by the id the
  // delivery fixture names, one between its watermark and the read watermark, one after both.
  const auto sent = [&](const std::string& recipient, const std::string& mid, std::int64_t at) {
    db_.Execute(
        "INSERT INTO outbox (channel, recipient, purpose, body, state, provider_message_id,"
        " sent_at, delivery_status) VALUES ('messenger', '" +
        recipient +
        "', 'aviso', 'hola',"
        " 'sent', '" +
        mid + "', to_timestamp(" + std::to_string(at) + "), 'sent')");
  };
  sent(kPsid, kSentMid, 1773169390);     // named by delivery_no_ticket.json
  sent(kPsid, "m_between", 1773169450);  // after the delivery watermark, before the read one
  sent(kPsid, "m_later", 1773169500);    // after both
  sent("7099999999999999", "m_other", 1773169390);  // another citizen
  const auto status = [&](const std::string& mid) {
    return db_.Scalar("SELECT delivery_status FROM outbox WHERE provider_message_id = '" + mid +
                      "'");
  };

  EXPECT_EQ(PostFixture("messenger", "delivery_no_ticket.json").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(status(kSentMid), "delivered");
  EXPECT_EQ(status("m_between"), "sent") << "a delivery with mids names each message";

  EXPECT_EQ(PostFixture("messenger", "read_no_ticket.json").status, 200);  // watermark ...455000
  WaitUntilQuiet();
  EXPECT_EQ(status(kSentMid), "read");
  EXPECT_EQ(status("m_between"), "read");
  EXPECT_EQ(status("m_later"), "sent");
  EXPECT_EQ(status("m_other"), "sent") << "a watermark covers only its citizen";

  // A delivery without mids: everything up to its watermark, and never backwards.
  const std::string watermark_only =
      R"({"object":"page","entry":[{"id":"104857600123456","time":1773169600210,"messaging":[)"
      R"({"sender":{"id":"7012345678901234"},"recipient":{"id":"104857600123456"},)"
      R"("timestamp":1773169600000,"delivery":{"watermark":1773169600000}}]}]})";
  EXPECT_EQ(Post("messenger", watermark_only, Sign(watermark_only)).status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(status("m_later"), "delivered");
  EXPECT_EQ(status(kSentMid), "read");
  EXPECT_EQ(status("m_other"), "sent");

  // Redelivered receipts add nothing.
  const auto inbox = Rows("inbox");
  const auto requests = Rows("webhook_request");
  EXPECT_EQ(PostFixture("messenger", "read_no_ticket.json").status, 200);
  EXPECT_EQ(PostFixture("messenger", "delivery_no_ticket.json").status, 200);
  EXPECT_EQ(Post("messenger", watermark_only, Sign(watermark_only)).status, 200);
  EXPECT_EQ(Rows("inbox"), inbox);
  EXPECT_EQ(Rows("webhook_request"), requests);
  EXPECT_EQ(Rows("boleta"), 0);
}

TEST_F(MetaServeTest, ACitizenWhoIsNoLongerAvailableGetsNothingMoreUntilTheyWriteAgain) {
  messenger_api_.Script(HttpResponse::Json(
      400, R"({"error":{"message":"(#551) This person isn't available right now.",)"
           R"("type":"OAuthException","code":551,"error_subcode":1545041,"fbtrace_id":"AbC"}})"));
  EXPECT_EQ(PostFixture("messenger", "text_basura_infonavit_playas.json").status, 200);
  messenger_api_.WaitForRequests(1);
  WaitUntilQuiet();
  EXPECT_EQ(db_.Scalar("SELECT state FROM outbox"), "failed");
  EXPECT_THAT(db_.Scalar("SELECT last_error FROM outbox"), HasSubstr("error 551/1545041"));
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity WHERE blocked_at IS NOT NULL"), 1);

  // Writing again lifts the block; the next reply goes out.
  EXPECT_EQ(PostFixture("messenger", "quick_reply_menu_alumbrado.json").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(db_.Count("SELECT count(*) FROM citizen_identity WHERE blocked_at IS NOT NULL"), 0);
  // The acknowledgement and "¿dónde es?" (the quick reply names no place).
  EXPECT_EQ(messenger_api_.WaitForRequests(3).size(), 3u);
}

TEST_F(MetaServeTest, BothRoutesAnswerTheSubscriptionHandshake) {
  for (const char* route : {"messenger", "instagram"}) {
    SCOPED_TRACE(route);
    ClientRequest request;
    request.method = "GET";
    request.url = base_ + "/webhooks/" + route +
                  "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=mzt-verify-2026";
    const ClientResponse ok = Execute(request);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, "1158201444");
    request.url = base_ + "/webhooks/" + route +
                  "?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=nope";
    EXPECT_EQ(Execute(request).status, 403);
  }
}

TEST_F(MetaServeTest, BadInputIsRefusedAndWritesNothing) {
  const std::string body =
      testing::ReadTestdata("meta", "messenger/text_basura_infonavit_playas.json");
  EXPECT_EQ(Post("messenger", body, std::nullopt).status, 401);
  EXPECT_EQ(Post("messenger", body, "sha256=" + crypto::HmacSha256Hex("wrong", body)).status, 401);
  EXPECT_EQ(Post("instagram", body, "sha256=" + crypto::HmacSha256Hex("wrong", body)).status, 401);
  // Signed by the same app, but an Instagram notification is not a Messenger one.
  EXPECT_EQ(Post("messenger", testing::ReadTestdata("meta", "instagram/text_fuga_agua.json"),
                 testing::ReadSignatures("meta", "instagram").at("text_fuga_agua.json"))
                .status,
            400);
  for (const std::string& malformed :
       {std::string("{\"object\":"), std::string("[]"), std::string(10000, '[')}) {
    EXPECT_EQ(Post("messenger", malformed, Sign(malformed)).status, 400);
  }
  // Bad input #8 as the anchors put it: 100,000 levels of nesting inside 1 MiB, signed.
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  deep += std::string(1024 * 1024 - deep.size(), ' ');
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(Post("messenger", deep, Sign(deep)).status, 400);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1))
      << "refused at the nesting limit, not parsed to the bottom (a hang bound, not a benchmark)";
  const std::string oversized(4 * 1024 * 1024 + 1, ' ');
  EXPECT_EQ(Post("messenger", oversized, Sign(oversized)).status, 413);
  EXPECT_EQ(Post("instagram", oversized, Sign(oversized)).status, 413);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
}

}  // namespace
}  // namespace sac::app
