// Table-driven tests over every payload in testdata/ (the project's authored WhatsApp fixtures,
// signed in testdata/signatures.txt with the test app secret), and the send API against a fake
// Graph API on a loopback port.
#include "channels/whatsapp/whatsapp_channel.h"

#include <boost/json/parse.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "channels/whatsapp/payloads.h"
#include "http/curl_client.h"
#include "tests/support/fake_provider.h"
#include "tests/support/testdata.h"

namespace sac::channels::whatsapp {
namespace {

using ::testing::HasSubstr;

constexpr const char* kPhoneNumberId = "110220330440550";

WhatsAppConfig TestConfig(std::string api_base_url = "http://127.0.0.1:9") {
  WhatsAppConfig config;
  config.enabled = true;
  config.phone_number_id = kPhoneNumberId;
  config.api_base_url = std::move(api_base_url);
  config.app_secret = "mzt_test_app_secret";
  config.verify_token = "mzt-verify-2026";
  config.access_token = "test-access-token";
  config.send_timeout = std::chrono::milliseconds(3000);
  return config;
}

HttpRequest SignedFixture(const std::string& file) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/webhooks/whatsapp";
  request.body = testing::ReadTestdata("whatsapp", file);
  request.headers.Add("X-Hub-Signature-256", testing::ReadSignatures("whatsapp").at(file));
  return request;
}

struct InboundCase {
  const char* file;
  std::size_t messages;
  std::size_t updates;
  MessageType type = MessageType::kText;  // of the first message
  std::function<void(const ParsedWebhook&)> check = nullptr;
};

std::vector<InboundCase> InboundCases() {
  return {
      {"text_fuga_agua_colonia_juarez.json", 1, 0, MessageType::kText,
       [](const ParsedWebhook& p) {
         const InboundMessage& m = p.messages[0];
         EXPECT_EQ(m.channel, "whatsapp");
         EXPECT_EQ(m.account_id, kPhoneNumberId);
         EXPECT_EQ(m.external_id, "wamid.HBgNNTIxNjY5MTIzNDUwMRUCABIYFjNFQjA0QzdBMTlEMkY4QTYxQjU1RTMA");
         EXPECT_EQ(m.sender_id, "5216691234501");       // kept as sent: replies go to it
         EXPECT_EQ(m.sender_phone, "+526691234501");    // normalised: 521 → 52
         EXPECT_EQ(m.sender_name, "María Guadalupe Osuna");
         EXPECT_THAT(m.text, HasSubstr("fuga de agua potable"));
         EXPECT_THAT(m.text, HasSubstr("colonia Juárez"));  // \u00e1 unescaped
         EXPECT_EQ(m.sent_at, 1773159323);
       }},
      {"image_caption_luminaria_villa_verde.json", 1, 0, MessageType::kImage,
       [](const ParsedWebhook& p) {
         const InboundMessage& m = p.messages[0];
         ASSERT_FALSE(m.media.empty());
         EXPECT_FALSE(m.media[0].provider_media_id.empty());
         EXPECT_EQ(m.media[0].mime_type, "image/jpeg");
         EXPECT_FALSE(m.text.empty()) << "the caption is the text";
       }},
      {"location_basura_infonavit_playas.json", 1, 0, MessageType::kLocation,
       [](const ParsedWebhook& p) {
         ASSERT_TRUE(p.messages[0].location);
         EXPECT_NEAR(p.messages[0].location->latitude, 23.2, 0.2);
         EXPECT_NEAR(p.messages[0].location->longitude, -106.4, 0.2);
       }},
      {"interactive_button_reply_menu_basura.json", 1, 0, MessageType::kInteractiveReply,
       [](const ParsedWebhook& p) {
         EXPECT_FALSE(p.messages[0].reply_payload.empty());
         EXPECT_FALSE(p.messages[0].text.empty());
         EXPECT_FALSE(p.messages[0].context_id.empty());
       }},
      {"interactive_list_reply_colonia.json", 1, 0, MessageType::kInteractiveReply,
       [](const ParsedWebhook& p) { EXPECT_FALSE(p.messages[0].reply_payload.empty()); }},
      {"template_button_reply_encuesta_mensual.json", 1, 0, MessageType::kTemplateButton,
       [](const ParsedWebhook& p) {
         EXPECT_EQ(p.messages[0].reply_payload, "ENCUESTA_2026_03|MZT-2026-000123|MUY_SATISFECHO");
         EXPECT_EQ(p.messages[0].text, "Muy satisfecho");
       }},
      {"audio_voice_note.json", 1, 0, MessageType::kAudio,
       [](const ParsedWebhook& p) {
         ASSERT_FALSE(p.messages[0].media.empty());
         EXPECT_TRUE(p.messages[0].media[0].voice);
       }},
      {"reaction_thumbs_up_no_ticket.json", 1, 0, MessageType::kReaction,
       [](const ParsedWebhook& p) { EXPECT_FALSE(p.messages[0].context_id.empty()); }},
      {"unsupported_message_type.json", 1, 0, MessageType::kUnsupported},
      {"status_delivered_no_ticket.json", 0, 1, MessageType::kText,
       [](const ParsedWebhook& p) { EXPECT_EQ(p.updates[0].state, DeliveryState::kDelivered); }},
      {"status_read_no_ticket.json", 0, 1, MessageType::kText,
       [](const ParsedWebhook& p) { EXPECT_EQ(p.updates[0].state, DeliveryState::kRead); }},
      {"status_failed_131047_window_closed.json", 0, 1, MessageType::kText,
       [](const ParsedWebhook& p) {
         EXPECT_EQ(p.updates[0].state, DeliveryState::kFailed);
         EXPECT_EQ(p.updates[0].error_code, "131047");
         EXPECT_EQ(p.updates[0].error_title, "Re-engagement message");
       }},
      {"duplicate_same_wamid_twice_in_one_post.json", 1, 0, MessageType::kText},
  };
}

TEST(WhatsAppChannelTest, EverySignedFixtureHasACase) {
  std::set<std::string> covered;
  for (const InboundCase& c : InboundCases()) {
    covered.insert(c.file);
  }
  for (const auto& [file, signature] : testing::ReadSignatures("whatsapp")) {
    EXPECT_TRUE(covered.contains(file)) << file << " is signed but has no test case";
  }
  EXPECT_EQ(covered.size(), testing::ReadSignatures("whatsapp").size());
}

TEST(WhatsAppChannelTest, VerifiesAndParsesEveryFixture) {
  http::CurlHttpClient http;
  WhatsAppChannel channel(TestConfig(), http);
  for (const InboundCase& c : InboundCases()) {
    SCOPED_TRACE(c.file);
    const HttpRequest request = SignedFixture(c.file);
    ASSERT_TRUE(channel.Verify(request));
    auto parsed = channel.Parse(request);
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->messages.size(), c.messages);
    ASSERT_EQ(parsed->updates.size(), c.updates);
    if (c.messages > 0) {
      EXPECT_EQ(parsed->messages[0].type, c.type);
    }
    if (c.check) {
      c.check(*parsed);
    }
  }
}

TEST(WhatsAppChannelTest, RejectsAFixtureWithAnotherFixturesSignature) {
  http::CurlHttpClient http;
  WhatsAppChannel channel(TestConfig(), http);
  HttpRequest request = SignedFixture("text_fuga_agua_colonia_juarez.json");
  request.body = testing::ReadTestdata("whatsapp", "status_read_no_ticket.json");
  EXPECT_FALSE(channel.Verify(request));
}

TEST(WhatsAppChannelTest, RejectsATamperedBody) {
  http::CurlHttpClient http;
  WhatsAppChannel channel(TestConfig(), http);
  HttpRequest request = SignedFixture("text_fuga_agua_colonia_juarez.json");
  request.body.insert(request.body.find("Buenos"), " ");
  EXPECT_FALSE(channel.Verify(request));
}

TEST(WhatsAppChannelTest, SkipsChangesForAnotherNumber) {
  auto parsed = ParseWebhook(testing::ReadTestdata("whatsapp", "text_fuga_agua_colonia_juarez.json"),
                             "999999999999999");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->messages.empty());
}

TEST(WhatsAppChannelTest, RejectsBodiesThatAreNotWhatsAppNotifications) {
  for (const char* body : {"", "not json", "[]", R"({"object":"page","entry":[]})",
                           R"({"object":"whatsapp_business_account"})",
                           R"({"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"messages":[{"type":"text"}]}}]}]})"}) {
    SCOPED_TRACE(body);
    auto parsed = ParseWebhook(body, "");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, Errc::kInvalidArgument);
  }
}

TEST(WhatsAppChannelTest, IgnoresNonMessageChangesAndUnknownStatuses) {
  auto parsed = ParseWebhook(
      R"({"object":"whatsapp_business_account","entry":[{"changes":[)"
      R"({"field":"account_update","value":{}},)"
      R"({"field":"messages","value":{"statuses":[{"id":"wamid.A","status":"deleted"}]}}]}]})",
      "");
  ASSERT_TRUE(parsed);
  EXPECT_TRUE(parsed->messages.empty());
  EXPECT_TRUE(parsed->updates.empty());
}

TEST(WhatsAppChannelTest, AnswersTheVerificationHandshake) {
  http::CurlHttpClient http;
  WhatsAppChannel channel(TestConfig(), http);
  // The query of testdata/verify_get_request.http.
  const std::string fixture = testing::ReadTestdata("whatsapp", "verify_get_request.http");
  const auto start = fixture.find('?') + 1;
  const std::string query = fixture.substr(start, fixture.find(' ', start) - start);

  HttpRequest request;
  request.method = "GET";
  request.query = query;
  auto answer = channel.AnswerHandshake(request);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->status, 200);
  EXPECT_EQ(answer->body, "1158201444");

  request.query = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong";
  EXPECT_EQ(channel.AnswerHandshake(request)->status, 403);
  request.query = "hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=mzt-verify-2026";
  EXPECT_EQ(channel.AnswerHandshake(request)->status, 403);
  request.query = "hub.mode=subscribe&hub.verify_token=mzt-verify-2026";
  EXPECT_EQ(channel.AnswerHandshake(request)->status, 403);
  request.query = "hub.mode=%ZZ";
  EXPECT_EQ(channel.AnswerHandshake(request)->status, 400);
}

// --- Sending -----------------------------------------------------------------------------------

constexpr const char* kSendPath = "/v21.0/110220330440550/messages";

OutboundMessage Reply() {
  OutboundMessage message;
  message.outbox_id = 7;
  message.channel = "whatsapp";
  message.account_id = kPhoneNumberId;
  message.recipient = "5216691234501";
  message.text = "Registramos tu petición con el folio 2026-000001.";
  return message;
}

TEST(WhatsAppChannelTest, SendsTextThroughTheGraphApi) {
  testing::FakeProvider graph(
      kSendPath, HttpResponse::Json(200, testing::ReadTestdata("whatsapp",
                                                               "outbound_send_response_ok.json")));
  http::CurlHttpClient http;
  WhatsAppChannel channel(TestConfig(graph.BaseUrl() + "/v21.0"), http);

  const SendOutcome outcome = channel.Send(Reply());
  ASSERT_EQ(outcome.kind, SendOutcome::Kind::kSent) << outcome.error;
  EXPECT_EQ(outcome.provider_message_id,
            "wamid.HBgNNTIxNjY5MTIzNDUwMRUCABEYEjJGNzdBNEMxRTkwQjM1NkQ4OAA=");

  const auto requests = graph.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.Get("Authorization"), "Bearer test-access-token");
  // Same shape as the documented request in testdata/outbound_send_text_request.json.
  const auto sent = boost::json::parse(requests[0].body).as_object();
  const auto documented =
      boost::json::parse(testing::ReadTestdata("whatsapp", "outbound_send_text_request.json"))
          .as_object();
  for (const char* key : {"messaging_product", "recipient_type", "type"}) {
    EXPECT_EQ(sent.at(key), documented.at(key)) << key;
  }
  EXPECT_EQ(sent.at("to").as_string(), "5216691234501");
  EXPECT_EQ(sent.at("text").at("preview_url"), documented.at("text").at("preview_url"));
  EXPECT_EQ(sent.at("text").at("body").as_string(), Reply().text);
}

// Sends `message` to a fake Graph API and returns the request body it received.
boost::json::object SentBody(const OutboundMessage& message, WhatsAppConfig config = TestConfig()) {
  testing::FakeProvider graph(
      kSendPath, HttpResponse::Json(200, testing::ReadTestdata("whatsapp",
                                                               "outbound_send_response_ok.json")));
  http::CurlHttpClient http;
  config.api_base_url = graph.BaseUrl() + "/v21.0";
  WhatsAppChannel channel(std::move(config), http);
  const SendOutcome outcome = channel.Send(message);
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kSent) << outcome.error;
  const auto requests = graph.Requests();
  if (requests.size() != 1) {
    ADD_FAILURE() << requests.size() << " requests";
    return {};
  }
  return boost::json::parse(requests[0].body).as_object();
}

OutboundMessage Survey() {
  OutboundMessage message = Reply();
  message.purpose = "encuesta";
  message.text = "¿Quedó resuelto tu reporte con folio 2026-000123?";
  message.template_params = {{"folio", "2026-000123"}, {"mes", "marzo"}};
  message.buttons = {{"ENCUESTA|2026-000123|SI", "Sí, quedó resuelto del todo"},
                     {"ENCUESTA|2026-000123|NO", "No quedó"}};
  return message;
}

WhatsAppConfig WithSurveyTemplate() {
  WhatsAppConfig config = TestConfig();
  config.templates["encuesta"] = {"encuesta_satisfaccion_mensual", "es_MX", {"mes", "folio"}};
  return config;
}

TEST(WhatsAppChannelTest, InsideTheWindowButtonsBecomeReplyButtons) {
  const auto sent = SentBody(Survey());
  EXPECT_EQ(sent.at("type").as_string(), "interactive");
  const auto& interactive = sent.at("interactive").as_object();
  EXPECT_EQ(interactive.at("type").as_string(), "button");
  EXPECT_EQ(interactive.at("body").at("text").as_string(), Survey().text);
  const auto& buttons = interactive.at("action").at("buttons").as_array();
  ASSERT_EQ(buttons.size(), 2u);
  EXPECT_EQ(buttons[0].at("reply").at("id").as_string(), "ENCUESTA|2026-000123|SI");
  EXPECT_EQ(buttons[0].at("reply").at("title").as_string(), "Sí, quedó resuelto d")
      << "titles are cut at 20 characters, not bytes";
  EXPECT_EQ(buttons[1].at("reply").at("title").as_string(), "No quedó");
}

TEST(WhatsAppChannelTest, OutsideTheWindowTheApprovedTemplateGoesWithTheMessagesValues) {
  OutboundMessage message = Survey();
  message.outside_window = true;
  const auto sent = SentBody(message, WithSurveyTemplate());
  // Same shape as the documented request in testdata/outbound_send_template_encuesta_request.json.
  const auto documented = boost::json::parse(testing::ReadTestdata(
                                                  "whatsapp", "outbound_send_template_encuesta_request.json"))
                              .as_object();
  EXPECT_EQ(sent.at("type"), documented.at("type"));
  const auto& sent_template = sent.at("template").as_object();
  EXPECT_EQ(sent_template.at("name"), documented.at("template").at("name"));
  EXPECT_EQ(sent_template.at("language"), documented.at("template").at("language"));
  const auto& components = sent_template.at("components").as_array();
  ASSERT_EQ(components.size(), 3u);
  const auto& documented_components = documented.at("template").at("components").as_array();
  EXPECT_EQ(components[0].at("type"), documented_components[0].at("type"));
  const auto& parameters = components[0].at("parameters").as_array();
  ASSERT_EQ(parameters.size(), 2u);
  EXPECT_EQ(parameters[0].at("text").as_string(), "marzo") << "in the configured order";
  EXPECT_EQ(parameters[1].at("text").as_string(), "2026-000123");
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(components[i].at("sub_type"), documented_components[i].at("sub_type"));
    EXPECT_EQ(components[i].at("index").as_string(), std::to_string(i - 1));
    EXPECT_EQ(components[i].at("parameters").at(0).at("payload").as_string(),
              Survey().buttons[i - 1].payload);
  }
}

TEST(WhatsAppChannelTest, OutsideTheWindowWithoutATemplateNothingIsSent) {
  testing::FakeProvider graph(kSendPath, HttpResponse::Json(200, "{}"));
  http::CurlHttpClient http;
  WhatsAppConfig config = WithSurveyTemplate();
  config.api_base_url = graph.BaseUrl() + "/v21.0";
  WhatsAppChannel channel(config, http);

  OutboundMessage notice = Reply();
  notice.purpose = "aviso_atender";
  notice.outside_window = true;
  SendOutcome outcome = channel.Send(notice);
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kPermanent);
  EXPECT_THAT(outcome.error, HasSubstr("no approved template for 'aviso_atender'"));

  OutboundMessage survey = Survey();
  survey.outside_window = true;
  survey.template_params = {{"folio", "2026-000123"}};
  outcome = channel.Send(survey);
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kPermanent);
  EXPECT_THAT(outcome.error, HasSubstr("needs 'mes'"));
  EXPECT_TRUE(graph.Requests().empty()) << "Meta would accept free text and fail it later";
}

TEST(WhatsAppChannelTest, ClassifiesProviderAnswers) {
  const std::string throttled =
      testing::ReadTestdata("whatsapp", "outbound_send_response_error_throttled.json");
  struct Case {
    const char* label;
    HttpResponse answer;
    SendOutcome::Kind kind;
    std::optional<std::chrono::seconds> retry_after;
  };
  HttpResponse throttled_with_header = HttpResponse::Json(429, throttled);
  throttled_with_header.headers.Add("Retry-After", "30");
  std::vector<Case> cases = {
      {"throttled by code, 400", HttpResponse::Json(400, throttled), SendOutcome::Kind::kRetryable,
       std::nullopt},
      {"429 with Retry-After", throttled_with_header, SendOutcome::Kind::kRetryable,
       std::chrono::seconds(30)},
      {"server error", HttpResponse::Json(503, "{}"), SendOutcome::Kind::kRetryable, std::nullopt},
      {"bad recipient", HttpResponse::Json(400, R"({"error":{"code":131030}})"),
       SendOutcome::Kind::kPermanent, std::nullopt},
      {"bad token", HttpResponse::Json(401, R"({"error":{"code":190}})"),
       SendOutcome::Kind::kPermanent, std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    testing::FakeProvider graph(kSendPath, c.answer);
    http::CurlHttpClient http;
    WhatsAppChannel channel(TestConfig(graph.BaseUrl() + "/v21.0"), http);
    const SendOutcome outcome = channel.Send(Reply());
    EXPECT_EQ(outcome.kind, c.kind);
    EXPECT_EQ(outcome.retry_after, c.retry_after);
    EXPECT_THAT(outcome.error, HasSubstr(std::to_string(c.answer.status)));
  }
}

// A send whose answer never comes may have reached the citizen: unknown, never retried blindly.
// One that could not even connect sent nothing: retried.
TEST(WhatsAppChannelTest, AnAnswerThatNeverComesIsUnknownAndNoConnectionIsRetried) {
  testing::FakeProvider graph(kSendPath, HttpResponse::Json(200, "{}"));
  graph.ScriptLate(HttpResponse::Json(200, "{}"), std::chrono::milliseconds(2000));
  http::CurlHttpClient http;
  WhatsAppConfig config = TestConfig(graph.BaseUrl() + "/v21.0");
  config.send_timeout = std::chrono::milliseconds(800);
  const SendOutcome late = WhatsAppChannel(config, http).Send(Reply());
  EXPECT_EQ(late.kind, SendOutcome::Kind::kUnknown);
  EXPECT_THAT(late.error, HasSubstr("unknown"));
  EXPECT_EQ(graph.Requests().size(), 1u) << "it did reach the provider";
  const SendOutcome refused = WhatsAppChannel(TestConfig(), http).Send(Reply());  // port 9: closed
  EXPECT_EQ(refused.kind, SendOutcome::Kind::kRetryable);
  EXPECT_EQ(refused.error, "connection failed");
}

TEST(WhatsAppChannelTest, LocatesMediaThroughTheGraphApi) {
  testing::FakeProvider graph(
      "GET", "/v21.0/{media}",
      HttpResponse::Json(200, R"({"url":"https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1","mime_type":"image/jpeg"})"));
  http::CurlHttpClient http;
  WhatsAppChannel channel(TestConfig(graph.BaseUrl() + "/v21.0"), http);
  auto source = channel.LocateMedia("1234567890");
  ASSERT_TRUE(source) << source.error().message;
  EXPECT_EQ(source->url, "https://lookaside.fbsbx.com/whatsapp_business/attachments/?mid=1");
  EXPECT_EQ(source->headers.at(0).second, "Bearer test-access-token");
  EXPECT_NE(std::find(source->allowed_hosts.begin(), source->allowed_hosts.end(), "lookaside.fbsbx.com"),
            source->allowed_hosts.end());
  EXPECT_EQ(graph.Requests().at(0).path, "/v21.0/1234567890");

  testing::FakeProvider expired("GET", "/v21.0/{media}", HttpResponse::Json(404, "{}"));
  WhatsAppChannel late(TestConfig(expired.BaseUrl() + "/v21.0"), http);
  auto gone = late.LocateMedia("1234567890");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().code, Errc::kNotFound);
}

TEST(WhatsAppChannelTest, AnUnreachableProviderIsRetryable) {
  http::CurlHttpClient http;
  WhatsAppChannel channel(TestConfig("http://127.0.0.1:9/v21.0"), http);  // discard port: refused
  const SendOutcome outcome = channel.Send(Reply());
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kRetryable);
  EXPECT_EQ(outcome.error, "connection failed");
}

}  // namespace
}  // namespace sac::channels::whatsapp
