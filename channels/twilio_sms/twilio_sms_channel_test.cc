// Table-driven tests over every form in testdata/ (the project's authored Twilio fixtures, signed
// in testdata/signatures.txt with the test auth token over the public URL), and the Messages API
// against a fake Twilio on a loopback port.
#include "channels/twilio_sms/twilio_sms_channel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "channels/twilio_sms/payloads.h"
#include "crypto/digest.h"
#include "http/curl_client.h"
#include "http/query.h"
#include "tests/support/fake_provider.h"
#include "tests/support/testdata.h"

namespace sac::channels::twilio_sms {
namespace {

using ::testing::HasSubstr;

constexpr const char* kAuthToken = "mzt_test_twilio_auth_token";
constexpr const char* kPublicBase = "https://atencion.municipio.example";
constexpr const char* kAccountSid = "AC0123456789abcdef0123456789abcdef";

TwilioSmsConfig TestConfig(std::string api_base_url = "http://127.0.0.1:9") {
  TwilioSmsConfig config;
  config.enabled = true;
  config.api_base_url = std::move(api_base_url);
  config.account_sid = kAccountSid;
  config.from_number = "+526691000000";
  config.auth_token = kAuthToken;
  config.send_timeout = std::chrono::milliseconds(3000);
  return config;
}

// signatures.txt: "<file>\tURL=<url>\t<signature>".
struct Signed {
  std::string path;
  std::string signature;
};
Signed SignatureOf(const std::string& file) {
  const std::string value = testing::ReadSignatures("twilio_sms").at(file);
  const auto tab = value.find('\t');
  const std::string url = value.substr(4, tab - 4);
  return {url.substr(std::string(kPublicBase).size()), value.substr(tab + 1)};
}

HttpRequest Fixture(const std::string& file) {
  const Signed signed_by = SignatureOf(file);
  HttpRequest request;
  request.method = "POST";
  request.path = signed_by.path;
  request.body = testing::ReadTestdata("twilio_sms", file);
  request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
  request.headers.Add("X-Twilio-Signature", signed_by.signature);
  return request;
}

FormParams Form(std::string_view body) {
  auto form = http::ParseForm(body);
  EXPECT_TRUE(form) << form.error().message;
  return form ? *form : FormParams{};
}

struct FormCase {
  const char* file;
  std::size_t messages;
  std::size_t updates;
  std::function<void(const ParsedWebhook&)> check;
};

std::vector<FormCase> FormCases() {
  return {
      {"inbound_sms_fuga_agua.form", 1, 0,
       [](const ParsedWebhook& p) {
         const InboundMessage& m = p.messages[0];
         EXPECT_EQ(m.type, MessageType::kText);
         EXPECT_EQ(m.external_id, "SM5f2e8d1c0b9a87654321fedcba098765");
         EXPECT_EQ(m.sender_id, "+526691234504");
         EXPECT_EQ(m.sender_phone, "+526691234504");
         EXPECT_EQ(m.account_id, "+526691000000");
         EXPECT_EQ(m.text, "Fuga de agua en col. Juarez calle Laureles esq. Av. Juarez, lleva 3 dias. "
                           "Favor de atender.")
             << "'+' is a space in a form";
       }},
      {"inbound_mms_luminaria.form", 1, 0,
       [](const ParsedWebhook& p) {
         const InboundMessage& m = p.messages[0];
         EXPECT_EQ(m.type, MessageType::kImage);
         EXPECT_EQ(m.text, "Lámpara apagada frente al parque de Villa Verde");
         ASSERT_FALSE(m.media.empty());
         EXPECT_EQ(m.media[0].mime_type, "image/jpeg");
         EXPECT_THAT(m.media[0].provider_media_id, HasSubstr("https://api.twilio.com/2010-04-01/Accounts/"));
       }},
      {"status_callback_delivered_no_ticket.form", 0, 1,
       [](const ParsedWebhook& p) {
         EXPECT_EQ(p.updates[0].provider_message_id, "SMa1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6");
         EXPECT_EQ(p.updates[0].state, DeliveryState::kDelivered);
       }},
  };
}

TEST(TwilioSmsChannelTest, EverySignedFixtureHasACase) {
  std::set<std::string> covered;
  for (const FormCase& c : FormCases()) covered.insert(c.file);
  for (const auto& [file, signature] : testing::ReadSignatures("twilio_sms")) {
    EXPECT_TRUE(covered.contains(file)) << file << " is signed but has no test case";
  }
}

TEST(TwilioSmsChannelTest, VerifiesAndParsesEveryFixture) {
  http::CurlHttpClient http;
  TwilioSmsChannel channel(TestConfig(), kPublicBase, http);
  for (const FormCase& c : FormCases()) {
    SCOPED_TRACE(c.file);
    const HttpRequest request = Fixture(c.file);
    ASSERT_TRUE(channel.Verify(request));
    auto parsed = channel.Parse(request);
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_EQ(parsed->messages.size(), c.messages);
    ASSERT_EQ(parsed->updates.size(), c.updates);
    c.check(*parsed);
  }
}

TEST(TwilioSmsChannelTest, TheSignatureCoversTheUrlAndEveryParameter) {
  http::CurlHttpClient http;
  TwilioSmsChannel channel(TestConfig(), kPublicBase, http);
  HttpRequest other_url = Fixture("inbound_sms_fuga_agua.form");
  other_url.path = "/webhooks/twilio/status";
  EXPECT_FALSE(channel.Verify(other_url)) << "signed for another URL";

  TwilioSmsChannel behind_other_host(TestConfig(), "https://otro.example", http);
  EXPECT_FALSE(behind_other_host.Verify(Fixture("inbound_sms_fuga_agua.form")));

  HttpRequest extra = Fixture("inbound_sms_fuga_agua.form");
  extra.body += "&Injected=1";
  EXPECT_FALSE(channel.Verify(extra)) << "an added parameter";

  HttpRequest changed = Fixture("inbound_sms_fuga_agua.form");
  changed.body.replace(changed.body.find("Fuga"), 4, "Robo");
  EXPECT_FALSE(channel.Verify(changed));

  HttpRequest missing = Fixture("inbound_sms_fuga_agua.form");
  missing.headers = Headers();
  EXPECT_FALSE(channel.Verify(missing));

  HttpRequest twice = Fixture("inbound_sms_fuga_agua.form");
  twice.headers.Add("X-Twilio-Signature", SignatureOf("inbound_sms_fuga_agua.form").signature);
  EXPECT_FALSE(channel.Verify(twice));

  // Parameter order does not matter: the signed string sorts them.
  HttpRequest reordered = Fixture("status_callback_delivered_no_ticket.form");
  auto form = Form(reordered.body);
  std::reverse(form.begin(), form.end());
  reordered.body = http::EncodeForm(form);
  EXPECT_TRUE(channel.Verify(reordered));
}

TEST(TwilioSmsChannelTest, RejectsFormsThatAreNotTwilios) {
  for (const char* body : {"", "a=%ZZ", "Body=hola", "MessageSid=SM1&From=%2B52&NumMedia=99",
                           "MessageSid=SM1&From=%2B52&NumMedia=1"}) {
    SCOPED_TRACE(body);
    auto form = http::ParseForm(body);
    const bool malformed = !form || !ParseIncoming(*form);
    EXPECT_TRUE(malformed);
  }
  EXPECT_FALSE(ParseStatus(Form("MessageSid=SM1")));
  EXPECT_TRUE(ParseStatus(Form("MessageSid=SM1&MessageStatus=queued"))->updates.empty());
}

TEST(TwilioSmsChannelTest, KeepsEveryMediaOfAnMms) {
  auto parsed = ParseIncoming(Form(
      "MessageSid=MM1&From=%2B526691234504&Body=&NumMedia=2"
      "&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm%2F0&MediaContentType0=image%2Fjpeg"
      "&MediaUrl1=https%3A%2F%2Fapi.twilio.com%2Fm%2F1&MediaContentType1=video%2Fmp4"));
  ASSERT_TRUE(parsed) << parsed.error().message;
  const InboundMessage& m = parsed->messages.at(0);
  EXPECT_EQ(m.type, MessageType::kImage) << "the first one's kind";
  ASSERT_EQ(m.media.size(), 2u);
  EXPECT_EQ(m.media[1].kind, MessageType::kVideo);
  EXPECT_EQ(m.media[1].provider_media_id, "https://api.twilio.com/m/1");
}

TEST(TwilioSmsChannelTest, OptOutsBlockAndOptInsUnblock) {
  auto stop = ParseIncoming(Form("MessageSid=SM1&From=%2B526691234504&Body=STOP&OptOutType=STOP"));
  EXPECT_EQ(stop->messages[0].type, MessageType::kBlocked);
  auto start = ParseIncoming(Form("MessageSid=SM2&From=%2B526691234504&Body=START&OptOutType=START"));
  EXPECT_EQ(start->messages[0].type, MessageType::kUnblocked);
}

TEST(TwilioSmsChannelTest, AcknowledgesWithEmptyTwiml) {
  http::CurlHttpClient http;
  TwilioSmsChannel channel(TestConfig(), kPublicBase, http);
  const HttpResponse answer = channel.Acknowledge(ParsedWebhook{});
  EXPECT_EQ(answer.status, 200);
  EXPECT_THAT(answer.content_type, HasSubstr("xml"));
  EXPECT_THAT(answer.body, HasSubstr("<Response/>"));
  EXPECT_TRUE(channel.AcceptsMediaType("application/x-www-form-urlencoded"));
  EXPECT_FALSE(channel.AcceptsMediaType("application/json"));
}

// --- Sending -----------------------------------------------------------------------------------

constexpr const char* kSendPath = "/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages.json";

OutboundMessage Reply(std::string text = "Registramos tu petición con el folio 2026-000001.") {
  OutboundMessage message;
  message.outbox_id = 4;
  message.channel = "twilio_sms";
  message.recipient = "+526691234504";
  message.text = std::move(text);
  return message;
}

TEST(TwilioSmsChannelTest, SendsThroughTheMessagesApiWithBasicAuthAndAStatusCallback) {
  testing::FakeProvider api(kSendPath,
                            HttpResponse::Json(201, R"({"sid":"SMout1","status":"queued"})"));
  http::CurlHttpClient http;
  TwilioSmsChannel channel(TestConfig(api.BaseUrl() + "/2010-04-01"), kPublicBase, http);
  const SendOutcome outcome = channel.Send(Reply());
  ASSERT_EQ(outcome.kind, SendOutcome::Kind::kSent) << outcome.error;
  EXPECT_EQ(outcome.provider_message_id, "SMout1");
  const auto requests = api.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].headers.Get("Authorization"),
            "Basic " + crypto::Base64Encode(std::string(kAccountSid) + ":" + kAuthToken));
  const auto form = Form(requests[0].body);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"To", "+526691234504"},
      {"Body", Reply().text},
      {"From", "+526691000000"},
      {"StatusCallback", "https://atencion.municipio.example/webhooks/twilio/status"}};
  EXPECT_EQ(form, expected);
}

TEST(TwilioSmsChannelTest, ClassifiesApiAnswers) {
  struct Case {
    const char* label;
    HttpResponse answer;
    SendOutcome::Kind kind;
    bool blocked = false;
  };
  const std::vector<Case> cases = {
      {"too many requests", HttpResponse::Json(429, R"({"code":20429,"message":"Too Many Requests"})"),
       SendOutcome::Kind::kRetryable},
      {"server error", HttpResponse::Json(500, "{}"), SendOutcome::Kind::kRetryable},
      {"replied STOP", HttpResponse::Json(400, R"({"code":21610,"message":"Attempt to send to unsubscribed recipient"})"),
       SendOutcome::Kind::kPermanent, true},
      {"invalid number", HttpResponse::Json(400, R"({"code":21211,"message":"Invalid 'To' Phone Number"})"),
       SendOutcome::Kind::kPermanent},
      {"bad credentials", HttpResponse::Json(401, R"({"code":20003,"message":"Authenticate"})"),
       SendOutcome::Kind::kPermanent},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    testing::FakeProvider api(kSendPath, c.answer);
    http::CurlHttpClient http;
    TwilioSmsChannel channel(TestConfig(api.BaseUrl() + "/2010-04-01"), kPublicBase, http);
    const SendOutcome outcome = channel.Send(Reply());
    EXPECT_EQ(outcome.kind, c.kind);
    EXPECT_EQ(outcome.recipient_blocked, c.blocked);
    EXPECT_THAT(outcome.error, HasSubstr(std::to_string(c.answer.status)));
  }
}

}  // namespace
}  // namespace sac::channels::twilio_sms
