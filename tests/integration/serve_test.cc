// The whole thread through a real `sac serve` App: a signed WhatsApp webhook over HTTP on a
// loopback port, PostgreSQL, the pipeline, the outbox, and a fake Graph API receiving the reply.
#include "app/app.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "crypto/digest.h"
#include "http/curl_client.h"
#include "tests/support/fake_provider.h"
#include "tests/support/sac_process.h"
#include "tests/support/served_app.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::app {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using testing::TestDatabase;
using namespace std::chrono_literals;

constexpr const char* kSecret = "mzt_test_app_secret";

class ServeTest : public ::testing::Test {
 protected:
  ServeTest()
      : graph_("/v21.0/110220330440550/messages",
               HttpResponse::Json(200, testing::ReadTestdata("whatsapp",
                                                             "outbound_send_response_ok.json"))) {}

  Config MakeConfig(std::string database_url) {
    Config config;
    config.rules_dir = (testing::SourceDir() / "rules").string();
    config.http.port = 0;
    config.http.handler_threads = 4;
    config.database.url = std::move(database_url);
    config.database.acquire_timeout = 500ms;
    config.database.connect_timeout = std::chrono::seconds(2);
    config.pipeline.poll_interval = 200ms;
    config.outbox.poll_interval = 200ms;
    WhatsAppConfig& wa = config.channels.whatsapp;
    wa.enabled = true;
    wa.api_base_url = graph_.BaseUrl() + "/v21.0";
    wa.phone_number_id = "110220330440550";
    wa.max_body_bytes = 64 * 1024;
    wa.app_secret = kSecret;
    wa.verify_token = "mzt-verify-2026";
    wa.access_token = "token";
    wa.send_timeout = 3000ms;
    return config;
  }

  void StartApp(const Config& config) {
    auto served = testing::Serve(config);
    ASSERT_TRUE(served.app);
    app_ = std::move(served.app);
    base_ = served.base_url;
  }

  void SetUp() override { StartApp(MakeConfig(db_.url())); }
  void TearDown() override {
    if (app_) app_->Stop();
  }

  ClientResponse Post(const std::string& body, std::optional<std::string> signature) {
    ClientRequest request;
    request.url = base_ + "/webhooks/whatsapp";
    request.headers = {{"Content-Type", "application/json"}};
    if (signature) request.headers.emplace_back("X-Hub-Signature-256", *signature);
    request.body = body;
    auto response = client_.Execute(request);
    EXPECT_TRUE(response) << response.error().message;
    return response ? *response : ClientResponse{};
  }

  ClientResponse PostFixture(const std::string& file) {
    return Post(testing::ReadTestdata("whatsapp", file),
                testing::ReadSignatures("whatsapp").at(file));
  }

  ClientResponse Get(const std::string& target) { return testing::Get(client_, base_ + target); }

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

  std::int64_t Rows(const char* table) {
    return db_.Count(std::string("SELECT count(*) FROM ") + table);
  }

  // SAC again, its WhatsApp Graph API at `graph` and its media store at `media_dir`, the
  // downloader polling often: for the tests of what happens to a photo.
  Config WithMediaFrom(const testing::FakeProvider& graph, const std::filesystem::path& media_dir) {
    app_->Stop();
    Config config = MakeConfig(db_.url());
    config.channels.whatsapp.api_base_url = graph.BaseUrl() + "/v21.0";
    config.media.dir = media_dir.string();
    config.media.queue.poll_interval = 100ms;
    return config;
  }

  // A Graph API that sends replies and places media id's file at `url`.
  static std::vector<testing::FakeRoute> GraphPlacingMediaAt(const std::string& url) {
    const std::string sent = testing::ReadTestdata("whatsapp", "outbound_send_response_ok.json");
    return {{"POST", "/v21.0/110220330440550/messages", HttpResponse::Json(200, sent)},
            {"GET", "/v21.0/{media}",
             HttpResponse::Json(200, R"({"url":")" + url + R"(","mime_type":"image/jpeg"})")}};
  }

  // Posts the fixture's captioned photo and waits until its download is settled: "<state>
  // <attempts> <whether no file is kept>".
  std::string PostPhotoAndSettle() {
    EXPECT_EQ(PostFixture("image_caption_luminaria_villa_verde.json").status, 200);
    WaitUntilQuiet();
    for (int i = 0; i < 200; ++i) {
      if (db_.Scalar("SELECT download_state FROM boleta_media") != "pending") break;
      std::this_thread::sleep_for(50ms);
    }
    return db_.Scalar("SELECT download_state || ' ' || attempts || ' ' || (file_sha256 IS NULL) "
                      "FROM boleta_media");
  }

  TestDatabase db_;
  testing::FakeProvider graph_;
  http::CurlHttpClient client_;
  std::unique_ptr<App> app_;
  std::string base_;
};

TEST_F(ServeTest, ASignedWhatsAppMessageBecomesABoletaAndTheCitizenGetsTheFolio) {
  const ClientResponse response = PostFixture("text_fuga_agua_colonia_juarez.json");
  EXPECT_EQ(response.status, 200);

  const auto replies = graph_.WaitForRequests(1);
  ASSERT_EQ(replies.size(), 1u);
  const std::string folio = db_.Scalar("SELECT folio FROM boleta");
  EXPECT_THAT(folio, MatchesRegex("20[0-9][0-9]-[0-9]{6}"));
  EXPECT_THAT(replies[0].body, HasSubstr(folio));
  EXPECT_THAT(replies[0].body, HasSubstr("\"to\":\"5216691234501\""));
  WaitUntilQuiet();
  EXPECT_EQ(db_.Scalar("SELECT status FROM boleta"), "por_clasificar");
  EXPECT_EQ(db_.Scalar("SELECT state FROM outbox"), "sent");
  EXPECT_EQ(db_.Scalar("SELECT string_agg(kind, ' ' ORDER BY id) FROM boleta_event"),
            "creada clasificada respuesta_enviada");
}

// Bad input #23 end to end, under production limits (no private addresses): the Graph API says
// the photo is at https://127.0.0.1:<port> — a host the channel accepts (its own API's), an
// address SAC never connects to. The attachment is 'blocked' at connect and not retried, the
// internal server sees nothing, and the petition is kept: a boleta with its text, acknowledged.
TEST_F(ServeTest, APhotoPlacedOnAnInternalAddressIsBlockedAndThePetitionKept) {
  testing::FakeProvider internal("GET", "/{file}", HttpResponse{.status = 200, .content_type = "image/jpeg", .headers = {}, .body = "\xFF\xD8\xFF"});
  const std::string internal_url = "https://" + internal.BaseUrl().substr(std::string("http://").size()) + "/foto.jpg";
  testing::FakeProvider graph(GraphPlacingMediaAt(internal_url));
  const auto media_dir = std::filesystem::temp_directory_path() / ("sac_media_blocked_" + std::to_string(::getpid()));
  Config config = WithMediaFrom(graph, media_dir);
  ASSERT_FALSE(config.media.allow_private_addresses) << "the production default";
  StartApp(config);

  EXPECT_EQ(PostPhotoAndSettle(), "blocked 1 true");
  bool looked_up = false;
  for (const HttpRequest& request : graph.Requests()) {
    looked_up = looked_up || (request.method == "GET" && request.path == "/v21.0/1672841937102933");
  }
  EXPECT_TRUE(looked_up) << "the channel asked the Graph API where the photo is";
  std::this_thread::sleep_for(300ms);  // three more polls: a blocked file is never fetched again
  EXPECT_EQ(internal.Requests().size(), 0u) << "SAC never connected to the internal address";
  EXPECT_EQ(db_.Scalar("SELECT download_state || ' ' || attempts FROM boleta_media"), "blocked 1");
  EXPECT_THAT(db_.Scalar("SELECT text FROM boleta"), HasSubstr("Villa Verde"));
  EXPECT_EQ(db_.Scalar("SELECT state FROM outbox"), "sent") << "the citizen got the acknowledgement";
  app_->Stop();  // before the fake providers it talks to go away
  app_.reset();
  std::filesystem::remove_all(media_dir);
}

// A photo larger than `[media] max_bytes` is on record as too large (staff see it never came),
// never fetched again, and the citizen is asked — once, naming the folio — for a lighter one.
TEST_F(ServeTest, APhotoTooLargeToKeepIsSaidToTheCitizenOnce) {
  testing::FakeProvider cdn("GET", "/{file}",
                            HttpResponse{.status = 200, .content_type = "image/jpeg", .headers = {},
                                         .body = "\xFF\xD8\xFF" + std::string(4096, 'x')});
  testing::FakeProvider graph(GraphPlacingMediaAt(cdn.BaseUrl() + "/foto.jpg"));
  const auto media_dir =
      std::filesystem::temp_directory_path() / ("sac_media_big_" + std::to_string(::getpid()));
  Config config = WithMediaFrom(graph, media_dir);
  config.media.allow_private_addresses = true;  // the fake CDN listens on 127.0.0.1
  config.media.max_bytes = 1024;
  StartApp(config);

  EXPECT_EQ(PostPhotoAndSettle(), "too_large 1 true");
  const std::string folio = db_.Scalar("SELECT folio FROM boleta");
  for (int i = 0; i < 100 && Rows("outbox WHERE state = 'sent'") < 2; ++i) {
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_EQ(db_.Scalar("SELECT string_agg(purpose || ' ' || state, ', ' ORDER BY id) FROM outbox"),
            "acuse_boleta sent, archivo_grande sent");
  EXPECT_THAT(db_.Scalar("SELECT body FROM outbox WHERE purpose = 'archivo_grande'"),
              HasSubstr("tu folio " + folio + " era demasiado grande"));
  std::this_thread::sleep_for(300ms);  // more polls: it is not fetched again
  EXPECT_EQ(cdn.Requests().size(), 1u);
  app_->Stop();  // before the fake providers it talks to go away
  app_.reset();
  std::filesystem::remove_all(media_dir);
}

TEST_F(ServeTest, ARedeliveryIsAcknowledgedAndAddsNothing) {
  EXPECT_EQ(PostFixture("text_fuga_agua_colonia_juarez.json").status, 200);
  graph_.WaitForRequests(1);
  WaitUntilQuiet();
  EXPECT_EQ(PostFixture("text_fuga_agua_colonia_juarez.json").status, 200);
  EXPECT_EQ(PostFixture("duplicate_same_wamid_twice_in_one_post.json").status, 200);
  WaitUntilQuiet();
  std::this_thread::sleep_for(300ms);  // a wrongly queued second reply would go out by now
  EXPECT_EQ(Rows("webhook_request"), 1);
  EXPECT_EQ(Rows("inbox"), 1);
  EXPECT_EQ(Rows("boleta"), 1);
  EXPECT_EQ(graph_.Requests().size(), 1u);
}

TEST_F(ServeTest, EveryFixtureHasTheOutcomeItsReadmeDescribes) {
  struct Case {
    const char* file;
    int new_boletas;
    int new_replies;
  };
  const Case cases[] = {
      {"text_fuga_agua_colonia_juarez.json", 1, 1},
      {"image_caption_luminaria_villa_verde.json", 1, 1},
      {"location_basura_infonavit_playas.json", 1, 1},         // a pin: placed already
      {"interactive_button_reply_menu_basura.json", 1, 2},     // + "¿en qué colonia?"
      {"interactive_list_reply_colonia.json", 0, 1},           // ... answered: the place is added
      {"audio_voice_note.json", 0, 0},  // moments after the same citizen's photo: that report
      {"template_button_reply_encuesta_mensual.json", 0, 0},  // survey answer: never a boleta
      {"reaction_thumbs_up_no_ticket.json", 0, 0},
      {"unsupported_message_type.json", 0, 1},                // "send it as text"
      {"status_delivered_no_ticket.json", 0, 0},
      {"status_read_no_ticket.json", 0, 0},
      {"status_failed_131047_window_closed.json", 0, 0},
      {"duplicate_same_wamid_twice_in_one_post.json", 0, 0},  // same wamid as the first case
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const std::int64_t boletas = Rows("boleta");
    const std::int64_t replies = Rows("outbox");
    EXPECT_EQ(PostFixture(c.file).status, 200);
    WaitUntilQuiet();
    EXPECT_EQ(Rows("boleta") - boletas, c.new_boletas);
    EXPECT_EQ(Rows("outbox") - replies, c.new_replies);
  }
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE state NOT IN ('processed', 'ignored')"), 0);
  EXPECT_EQ(Rows("delivery_event"), 3);
}

// The acknowledgement of a boleta reaches WhatsApp, whose answer comes after SAC stopped waiting:
// held as unknown, not sent again; WhatsApp's status webhook naming the citizen settles it.
TEST_F(ServeTest, AnAcknowledgementWhoseAnswerWasLostIsSettledByWhatsAppsStatusNotSentAgain) {
  app_->Stop();
  Config config = MakeConfig(db_.url());
  config.channels.whatsapp.send_timeout = 800ms;
  StartApp(config);
  graph_.ScriptLate(HttpResponse::Json(200, testing::ReadTestdata("whatsapp",
                                                                  "outbound_send_response_ok.json")),
                    2s);
  ASSERT_EQ(PostFixture("text_fuga_agua_colonia_juarez.json").status, 200);
  for (int i = 0; i < 500 && Rows("outbox WHERE state = 'unknown'") == 0; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(Rows("outbox WHERE state = 'unknown'"), 1);

  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const std::string status =
      R"({"object":"whatsapp_business_account","entry":[{"id":"102938475610293","changes":[{)"
      R"("value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"526691000000",)"
      R"("phone_number_id":"110220330440550"},"statuses":[{"id":"wamid.RESPUESTA-PERDIDA",)"
      R"("status":"delivered","timestamp":")" + std::to_string(now.count()) +
      R"(","recipient_id":"5216691234501"}]},"field":"messages"}]}]})";
  ASSERT_EQ(Post(status, "sha256=" + crypto::HmacSha256Hex(kSecret, status)).status, 200);
  for (int i = 0; i < 500 && Rows("outbox WHERE state = 'unknown'") > 0; ++i) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(db_.Scalar("SELECT state || ' ' || provider_message_id || ' ' || delivery_status"
                       " FROM outbox"),
            "sent wamid.RESPUESTA-PERDIDA delivered");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_event WHERE kind = 'respuesta_enviada'"
                      " AND detail->>'conciliada' = 'true'"),
            1);
  std::this_thread::sleep_for(500ms);  // a sender that re-sent would have done so by now
  EXPECT_EQ(graph_.Requests().size(), 1u) << "the reply went out once";
}

TEST_F(ServeTest, BadSignaturesAreRejectedAndWriteNothing) {
  const std::string body = testing::ReadTestdata("whatsapp", "text_fuga_agua_colonia_juarez.json");
  EXPECT_EQ(Post(body, std::nullopt).status, 401);
  EXPECT_EQ(Post(body, "sha256=" + crypto::HmacSha256Hex("wrong", body)).status, 401);
  EXPECT_EQ(Post(body, "sha1=" + crypto::HmacSha256Hex(kSecret, body)).status, 401);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
}

// Bad inputs #1 and #2 over HTTP: every way a signature can be wrong gets 401, writes nothing, and
// is counted for the alert on sac_webhooks_total{outcome="unauthenticated"}.
TEST_F(ServeTest, EveryKindOfWrongSignatureGets401WritesNothingAndIsCounted) {
  const std::string body = testing::ReadTestdata("whatsapp", "text_fuga_agua_colonia_juarez.json");
  const std::string hex = crypto::HmacSha256Hex(kSecret, body);
  std::string upper = hex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::vector<std::optional<std::string>> wrong = {
      std::nullopt,                                        // missing
      "sha256=" + crypto::HmacSha256Hex("wrong", body),    // another secret
      "sha1=" + hex,                                       // another algorithm
      "sha256=" + upper,                                   // upper-case hex
      "sha256=" + hex.substr(0, 63),                       // short
      "sha256=" + hex + "0",                               // long
      "sha256= " + hex,                                    // padded
      "",                                                  // empty
  };
  for (const auto& signature : wrong) {
    EXPECT_EQ(Post(body, signature).status, 401) << signature.value_or("(none)");
  }
  // Two signature headers, even if one is right.
  ClientRequest twice;
  twice.url = base_ + "/webhooks/whatsapp";
  twice.headers = {{"Content-Type", "application/json"},
                   {"X-Hub-Signature-256", "sha256=" + hex},
                   {"X-Hub-Signature-256", "sha256=" + crypto::HmacSha256Hex("wrong", body)}};
  twice.body = body;
  EXPECT_EQ(client_.Execute(twice)->status, 401);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
  EXPECT_THAT(Get("/metrics").body,
              HasSubstr("sac_webhooks_total{channel=\"whatsapp\",outcome=\"unauthenticated\"} 9"));
}

// Bad input #3: the signature covers the exact bytes. The same JSON re-serialised (spaces, "ó"
// instead of "\u00f3") no longer matches; the original, escapes and all, is stored as the text.
TEST_F(ServeTest, AReserialisedBodyFailsItsSignatureAndTheOriginalIsStoredUnescaped) {
  const std::string original =
      testing::WhatsAppTextWebhook("wamid.reserialised", "5216691234509", "no pasa el cami\\u00f3n");
  const std::string signature = "sha256=" + crypto::HmacSha256Hex(kSecret, original);
  std::string reserialised = original;
  reserialised.replace(reserialised.find("cami\\u00f3n"), 11, "camión");
  reserialised.insert(1, " ");
  EXPECT_EQ(Post(reserialised, signature).status, 401);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
  EXPECT_EQ(Post(original, signature).status, 200);
  EXPECT_EQ(db_.Scalar("SELECT payload->>'text' FROM inbox"), "no pasa el camión");
  EXPECT_EQ(db_.Scalar("SELECT convert_from(body, 'UTF8') FROM webhook_request"), original)
      << "the raw request is the exact bytes that were signed";
}

// Bad input #5 over HTTP: the same message delivered on eight connections at once (and the
// provider's batch that repeats an id, as the very first delivery): every delivery is
// acknowledged, one inbox row and one boleta.
TEST_F(ServeTest, TheSameMessageDeliveredConcurrentlyIsAcknowledgedEverywhereAndStoredOnce) {
  EXPECT_EQ(PostFixture("duplicate_same_wamid_twice_in_one_post.json").status, 200);
  EXPECT_EQ(Rows("inbox"), 1) << "an id repeated in one batch";
  const std::string body =
      testing::WhatsAppTextWebhook("wamid.concurrent", "5216691234509", "hay un bache enorme en la calle");
  const std::string signature = "sha256=" + crypto::HmacSha256Hex(kSecret, body);
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> deliveries;
  for (int i = 0; i < 8; ++i) {
    deliveries.emplace_back([&] {
      http::CurlHttpClient client;
      ClientRequest request;
      request.url = base_ + "/webhooks/whatsapp";
      request.headers = {{"Content-Type", "application/json"}, {"X-Hub-Signature-256", signature}};
      request.body = body;
      const auto answer = client.Execute(request);
      if (answer && answer->status == 200) ++acknowledged;
    });
  }
  for (auto& delivery : deliveries) delivery.join();
  EXPECT_EQ(acknowledged, 8);
  WaitUntilQuiet();
  EXPECT_EQ(Rows("inbox"), 2);
  EXPECT_EQ(Rows("webhook_request"), 2);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta b JOIN inbox i ON i.id = b.source_inbox_id"
                      " WHERE i.dedupe_key = 'wamid.concurrent'"),
            1);
}

// Bad input #9: numbers past 64 bits and strings of megabytes. Over the route's body cap it is
// 413 before anything is parsed; a signed payload whose number overflows is refused the same way
// every time, with nothing written.
TEST_F(ServeTest, OverflowingNumbersAndHugeStringsAreRefusedTheSameWayEveryTime) {
  const std::string huge = testing::WhatsAppTextWebhook("wamid.huge", "5216691234509",
                                                        std::string(10 * 1024 * 1024, 'a'));
  EXPECT_EQ(Post(huge, "sha256=" + crypto::HmacSha256Hex(kSecret, huge)).status, 413);
  std::string overflow = testing::WhatsAppTextWebhook("wamid.overflow", "5216691234509", "bache");
  overflow.replace(overflow.find("\"timestamp\":\"1773162161\""), 24,
                   "\"timestamp\":123456789012345678901234567890");
  const std::string signature = "sha256=" + crypto::HmacSha256Hex(kSecret, overflow);
  const int first = Post(overflow, signature).status;
  EXPECT_EQ(first, 400);
  EXPECT_EQ(Post(overflow, signature).status, first);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
}

TEST_F(ServeTest, MalformedBodiesGet400AndWriteNothing) {
  for (const std::string& body : {std::string("{\"object\":"), std::string("[]"),
                                 std::string(10000, '[')}) {
    EXPECT_EQ(Post(body, "sha256=" + crypto::HmacSha256Hex(kSecret, body)).status, 400);
  }
  // Bad input #10, decided as 400 (tests/reliability/BAD_INPUTS.md): a validly signed message whose
  // text is not UTF-8, or carries a lone surrogate escape, is refused, never half-stored.
  for (const std::string& text : {std::string("fuga \xff\xfe de agua"), std::string("fuga \\ud800 de agua"),
                                  std::string("fuga \\udc00\\ud800 de agua")}) {
    const std::string body = testing::WhatsAppTextWebhook("wamid.bad-text", "5216691234501", text);
    EXPECT_EQ(Post(body, "sha256=" + crypto::HmacSha256Hex(kSecret, body)).status, 400) << text;
  }
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
}

TEST_F(ServeTest, OversizedBodiesGet413AndWriteNothing) {
  const std::string body(64 * 1024 + 1, ' ');
  EXPECT_EQ(Post(body, "sha256=" + crypto::HmacSha256Hex(kSecret, body)).status, 413);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
  // Counted where the SacWebhooksTooLarge alert looks (deploy/prometheus: tested with promtool).
  const std::string metrics = Get("/metrics").body;
  EXPECT_THAT(metrics, MatchesRegex("(.|\n)*sac_http_requests_total\\{[^}]*status=\"413\"[^}]*\\} 1(.|\n)*"));
}

TEST_F(ServeTest, AnswersMetasVerificationHandshake) {
  const ClientResponse ok = Get(
      "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=mzt-verify-2026");
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.body, "1158201444");
  EXPECT_EQ(Get("/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1&hub.verify_token=no").status,
            403);
}

TEST_F(ServeTest, OperationsEndpointsAnswerOnlyTheirNetworks) {
  app_->Stop();
  Config config = MakeConfig(db_.url());
  config.http.ops_networks = {"10.20.0.0/16"};
  StartApp(config);
  const auto get = [&](const std::string& path, std::optional<std::string> forwarded_for) {
    ClientRequest request;
    request.method = "GET";
    request.url = base_ + path;
    if (forwarded_for) request.headers.emplace_back("X-Forwarded-For", *forwarded_for);
    auto response = client_.Execute(request);
    EXPECT_TRUE(response) << response.error().message;
    return response ? *response : ClientResponse{};
  };
  for (const char* path : {"/metrics", "/readyz", "/healthz"}) {
    SCOPED_TRACE(path);
    // The test connects from 127.0.0.1, a trusted proxy (the default) naming the client.
    EXPECT_EQ(get(path, "10.20.3.4").status, 200);
    const ClientResponse outsider = get(path, "203.0.113.9");
    EXPECT_EQ(outsider.status, 404);
    EXPECT_EQ(outsider.body, "not found\n") << "the same as a route that does not exist";
    EXPECT_EQ(get(path, "10.20.3.4, 203.0.113.9").status, 404)
        << "the client is the hop the proxy added, not what the client wrote";
    EXPECT_EQ(get(path, std::nullopt).status, 404) << "loopback itself is not in this list";
  }
  EXPECT_THAT(get("/metrics", "10.20.3.4").body, HasSubstr("sac_http_requests_total"));
  EXPECT_EQ(Get("/api/v1/boletas").status, 401) << "other routes answer everyone as before";

  // Loopback allowed, but not a proxy of ours: what it forwards is nobody's business.
  app_->Stop();
  config.http.ops_networks = {"127.0.0.0/8"};
  config.http.trusted_proxies = {};
  StartApp(config);
  EXPECT_EQ(get("/metrics", std::nullopt).status, 200) << "the machine's own request";
  EXPECT_EQ(get("/metrics", "127.0.0.1").status, 404)
      << "a forward by a machine that is not one of our proxies, whatever it claims";
}

TEST_F(ServeTest, HealthReadinessAndMetrics) {
  EXPECT_EQ(Get("/healthz").status, 200);
  const ClientResponse ready = Get("/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_THAT(ready.body, HasSubstr("ready"));

  PostFixture("text_fuga_agua_colonia_juarez.json");
  graph_.WaitForRequests(1);
  WaitUntilQuiet();
  const ClientResponse metrics = Get("/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(metrics.headers.Get("Content-Type").value_or(""), HasSubstr("version=0.0.4"));
  EXPECT_THAT(metrics.body,
              HasSubstr("sac_http_requests_total{route=\"webhook_whatsapp\",status=\"200\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("sac_webhooks_total{channel=\"whatsapp\",outcome=\"stored\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("sac_http_request_duration_seconds_bucket"));
  EXPECT_THAT(metrics.body, HasSubstr("sac_inbox_depth{state=\"pending\"} 0"));
  EXPECT_THAT(metrics.body, HasSubstr("sac_outbox_depth{state=\"pending\"} 0"));
  EXPECT_THAT(metrics.body, HasSubstr("sac_outbox_depth{state=\"unknown\"} 0"));
  EXPECT_THAT(metrics.body, HasSubstr("sac_outbound_sends_total{channel=\"whatsapp\",outcome=\"sent\"} 1"));
  EXPECT_THAT(metrics.body, HasSubstr("sac_database_up 1"));
}

// ARCO requests near or past the law's deadline are counted where the alerts look
// (deploy/prometheus: SacArcoRequestDueSoon, SacArcoRequestOverdue).
TEST_F(ServeTest, OpenArcoRequestsNearOrPastTheirDeadlineAreCounted) {
  const std::string today = "(now() AT TIME ZONE 'America/Mazatlan')::date";
  db_.Execute("INSERT INTO arco_request (kind, received_on, due_on, warn_on, registered_by,"
              " closed_at, outcome) VALUES "
              "('acceso', " + today + " - 20, " + today + " + 3, " + today + " - 1, 'ut', NULL, NULL),"
              "('cancelacion', " + today + " - 40, " + today + " - 1, " + today + " - 8, 'ut', NULL, NULL),"
              "('oposicion', " + today + " - 40, " + today + " - 2, " + today + " - 9, 'ut', now(), 'atendida'),"
              "('rectificacion', " + today + " - 1, " + today + " + 27, " + today + " + 20, 'ut', NULL, NULL)");
  const std::string metrics = Get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("sac_arco_requests{standing=\"por_vencer\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("sac_arco_requests{standing=\"vencida\"} 1\n"))
      << "the one closed late is not counted";
}

// Security breaches still without a notice decision, those undecided for over 48 hours, and those
// whose notices were decided but not yet given.
TEST_F(ServeTest, SecurityBreachesWaitingForADecisionAreCounted) {
  db_.Execute("INSERT INTO security_breach (occurred_at, confirmed_at, recorded_by, cause,"
              " data_categories, citizens_affected, corrective_actions, decided_at, notify) VALUES "
              "(now() - interval '3 days', now() - interval '50 hours', 'ut', 'c', 'd', 1, 'a', NULL, NULL),"
              "(now() - interval '2 hours', now() - interval '1 hour', 'ut', 'c', 'd', 1, 'a', NULL, NULL),"
              "(now() - interval '9 days', now() - interval '8 days', 'ut', 'c', 'd', 1, 'a', now(), false),"
              "(now() - interval '9 days', now() - interval '8 days', 'ut', 'c', 'd', 1, 'a', now(), true)");
  const std::string metrics = Get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("sac_security_breaches{state=\"sin_decision\"} 2\n"));
  EXPECT_THAT(metrics, HasSubstr("sac_security_breaches{state=\"sin_decision_48h\"} 1\n"));
  EXPECT_THAT(metrics, HasSubstr("sac_security_breaches{state=\"sin_notificar\"} 1\n"))
      << "decided to notify, no notice recorded yet";
}

// deploy/prometheus/sac-alerts.yml names only metrics (and gauge states) `sac serve` exports:
// an alert on a metric that does not exist never fires.
TEST_F(ServeTest, TheAlertRulesNameOnlyMetricsSacExports) {
  std::ifstream file(testing::SourceDir() / "deploy/prometheus/sac-alerts.yml");
  const std::string rules(std::istreambuf_iterator<char>(file), {});
  ASSERT_FALSE(rules.empty());
  // A message and its reply, so that every family has a series (counters appear when first used).
  ASSERT_EQ(PostFixture("text_fuga_agua_colonia_juarez.json").status, 200);
  graph_.WaitForRequests(1);
  WaitUntilQuiet();
  const std::string metrics = Get("/metrics").body;
  const std::regex name("\\b(sac_[a-z_]+)(\\{[^}]*\\})?");
  int names = 0;
  for (auto it = std::sregex_iterator(rules.begin(), rules.end(), name); it != std::sregex_iterator();
       ++it) {
    const std::string metric = (*it)[1];
    EXPECT_THAT(metrics, HasSubstr("# TYPE " + metric + " ")) << metric;
    const std::string selector = (*it)[2];
    if (const auto at = selector.find("state=\""); at != std::string::npos) {
      const std::string state = selector.substr(at, selector.find('"', at + 7) + 1 - at);
      EXPECT_THAT(metrics, HasSubstr(metric + "{" + state + "}")) << "a state the gauge reports";
    }
    ++names;
  }
  EXPECT_GE(names, 12);
}

TEST_F(ServeTest, ReadinessFailsWhenTheSchemaIsBehind) {
  db_.Execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)");
  const ClientResponse ready = Get("/readyz");
  EXPECT_EQ(ready.status, 503);
  EXPECT_THAT(ready.body, HasSubstr("sac migrate"));
}

TEST_F(ServeTest, AServerWithTheWrongSchemaRefusesToStart) {
  TestDatabase empty(TestDatabase::Schema::kEmpty);
  auto app = App::Create(MakeConfig(empty.url()));
  ASSERT_TRUE(app);
  auto started = (*app)->Start();
  ASSERT_FALSE(started);
  EXPECT_THAT(started.error().message, HasSubstr("sac migrate"));
}

TEST_F(ServeTest, WithoutTheDatabaseWebhooksGet503NeverA200) {
  app_->Stop();
  StartApp(MakeConfig("host=/nonexistent user=postgres dbname=x"));
  const ClientResponse response = PostFixture("text_fuga_agua_colonia_juarez.json");
  EXPECT_EQ(response.status, 503);
  EXPECT_TRUE(response.headers.Get("Retry-After"));
  EXPECT_EQ(Get("/readyz").status, 503);
  EXPECT_EQ(Get("/healthz").status, 200);
}

// Every connection of the pool is stuck behind a lock (a long migration, a runaway report): each
// webhook meanwhile is answered 503 within the pool's acquire timeout or the statement timeout —
// never a 200, never a wait without end — and the same webhooks sent again afterwards are stored
// once each.
TEST_F(ServeTest, WhenEveryConnectionIsBusyWebhooksGet503FastAndNothingIsLost) {
  app_->Stop();
  Config config = MakeConfig(db_.url());
  config.database.pool_size = 3;
  config.database.acquire_timeout = 300ms;
  config.database.statement_timeout = 1500ms;
  StartApp(config);
  std::vector<std::string> bodies;
  for (int i = 0; i < 12; ++i) {
    bodies.push_back(testing::WhatsAppTextWebhook("wamid.POOL" + std::to_string(i), "5216691234501",
                                                  "Hay un bache en la calle Río Presidio"));
  }
  const auto send_all = [&] {
    std::vector<std::pair<int, std::chrono::milliseconds>> answers(bodies.size());
    std::vector<std::thread> senders;
    for (std::size_t i = 0; i < bodies.size(); ++i) {
      senders.emplace_back([&, i] {
        http::CurlHttpClient client;
        ClientRequest request;
        request.url = base_ + "/webhooks/whatsapp";
        request.headers = {{"Content-Type", "application/json"},
                           {"X-Hub-Signature-256", "sha256=" + crypto::HmacSha256Hex(kSecret, bodies[i])}};
        request.body = bodies[i];
        request.timeout = 20s;
        const auto started = std::chrono::steady_clock::now();
        auto response = client.Execute(request);
        answers[i] = {response ? response->status : 0,
                      std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)};
      });
    }
    for (std::thread& sender : senders) sender.join();
    return answers;
  };

  {
    pqxx::connection blocker(db_.url());
    pqxx::work held(blocker);
    held.exec("LOCK TABLE inbox, webhook_request, outbox IN ACCESS EXCLUSIVE MODE");
    const auto started = std::chrono::steady_clock::now();
    for (const auto& [status, took] : send_all()) {
      EXPECT_EQ(status, 503);
      EXPECT_LT(took, 6000ms) << "acquire 0.3 s or statement 1.5 s (+1 s client deadline): about "
                                 "2.5 s at most, with room for a loaded machine";
    }
    const ClientResponse metrics = Get("/metrics");
    EXPECT_THAT(metrics.body, HasSubstr("sac_database_up 0")) << "the scrape itself gets no connection";
    EXPECT_LT(std::chrono::steady_clock::now() - started, 8s);
    held.abort();
  }
  for (const auto& [status, took] : send_all()) EXPECT_EQ(status, 200) << took.count() << " ms";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM inbox WHERE dedupe_key LIKE 'wamid.POOL%'"), 12);
  WaitUntilQuiet();
}

}  // namespace
}  // namespace sac::app
