// Table-driven tests over every signed payload in testdata/messenger/ and testdata/instagram/
// (the project's authored fixtures, signed with the test app secret), the events the fixtures do
// not show, and the Send API against a fake Graph API on a loopback port.
#include "channels/meta/meta_channel.h"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>
#include <set>

#include "channels/meta/payloads.h"
#include "crypto/digest.h"
#include "http/curl_client.h"
#include "tests/support/fake_provider.h"
#include "tests/support/testdata.h"

namespace sac::channels::meta {
namespace {

using ::testing::HasSubstr;

constexpr const char* kAppSecret = "mzt_test_app_secret";
constexpr const char* kPageId = "104857600123456";  // testdata/messenger/README.md
constexpr const char* kPsid = "7012345678901234";
constexpr const char* kIgAccountId = "17841400000000001";  // testdata/instagram/README.md
constexpr const char* kIgsid = "1283746509182736";
constexpr const char* kSendPath = "/v21.0/me/messages";

// The product of each fixture folder.
const Product& ProductOf(const std::string& folder) {
  return folder == "messenger" ? kMessenger : kInstagram;
}

MetaChannelConfig TestConfig(const Product& product,
                             std::string api_base_url = "http://127.0.0.1:9") {
  MetaChannelConfig config;
  config.enabled = true;
  config.api_base_url = std::move(api_base_url);
  config.account_id = &product == &kMessenger ? kPageId : kIgAccountId;
  config.app_secret = kAppSecret;
  config.verify_token = "mzt-verify-2026";
  config.page_token = "test-page-token";
  config.send_timeout = std::chrono::milliseconds(3000);
  return config;
}

HttpRequest Post(const std::string& folder, std::string body,
                 std::optional<std::string> signature) {
  HttpRequest request;
  request.method = "POST";
  request.path = "/webhooks/" + folder;
  request.body = std::move(body);
  if (signature) request.headers.Add("X-Hub-Signature-256", *signature);
  return request;
}

HttpRequest SignedFixture(const std::string& folder, const std::string& file) {
  return Post(folder, testing::ReadTestdata("meta", folder + "/" + file),
              testing::ReadSignatures("meta", folder).at(file));
}

std::string Sign(std::string_view body) {
  return "sha256=" + crypto::HmacSha256Hex(kAppSecret, body);
}

// --- Every signed fixture ----------------------------------------------------------------------

struct FixtureCase {
  const char* folder;
  const char* file;
  std::size_t messages;
  std::size_t updates;
  MessageType type = MessageType::kText;  // of the first message
  std::function<void(const ParsedWebhook&)> check = nullptr;
};

std::vector<FixtureCase> FixtureCases() {
  return {
      {"messenger", "text_basura_infonavit_playas.json", 1, 0, MessageType::kText,
       [](const ParsedWebhook& p) {
         const InboundMessage& m = p.messages[0];
         EXPECT_EQ(m.channel, "messenger");
         EXPECT_EQ(m.account_id, kPageId);
         EXPECT_EQ(m.external_id, "m_Xq9L2pT5Rk8wZc3Vb7Nh1Jd4Fg6Ys0Ua2Ie5Ko8Mr1Pt4Wx7Qz0Cv3Bn6");
         EXPECT_EQ(m.sender_id, kPsid);
         EXPECT_TRUE(m.sender_phone.empty()) << "Messenger reveals no phone";
         EXPECT_THAT(m.text, HasSubstr("cami\xC3\xB3n de la basura"));  // \u00f3 unescaped
         EXPECT_THAT(m.text, HasSubstr("Infonavit Playas"));
         EXPECT_EQ(m.sent_at, 1773169201);  // milliseconds → seconds
       }},
      {"messenger", "image_attachment_luminaria.json", 1, 0, MessageType::kImage,
       [](const ParsedWebhook& p) {
         const InboundMessage& m = p.messages[0];
         ASSERT_FALSE(m.media.empty());
         EXPECT_THAT(m.media[0].provider_media_id,
                     ::testing::StartsWith("https://scontent.xx.fbcdn.net/v/t1.15752-9/"));
         EXPECT_THAT(m.media[0].provider_media_id, HasSubstr("&oe=66F0A1B2"));  // the whole URL
         EXPECT_EQ(m.media[0].mime_type, "image/jpeg");
         EXPECT_TRUE(m.text.empty()) << "Messenger sends no caption";
       }},
      {"messenger", "quick_reply_menu_alumbrado.json", 1, 0, MessageType::kInteractiveReply,
       [](const ParsedWebhook& p) {
         EXPECT_EQ(p.messages[0].reply_payload, "MENU_ALUMBRADO");
         EXPECT_EQ(p.messages[0].text,
                   "Alumbrado p\xC3\xBA"
                   "blico");
       }},
      {"messenger", "postback_get_started.json", 1, 0, MessageType::kStart,
       [](const ParsedWebhook& p) {
         EXPECT_EQ(p.messages[0].external_id,
                   "m_Mn2Op4Qr6St8Uv0Wx2Yz4Ab6Cd8Ef0Gh2Ij4Kl6Mn8Op0Qr2St4Uv6Wx8");
         EXPECT_EQ(p.messages[0].text, "Reportar un problema");
       }},
      {"messenger", "delivery_no_ticket.json", 0, 1, MessageType::kText,
       [](const ParsedWebhook& p) {
         const DeliveryUpdate& u = p.updates[0];
         EXPECT_EQ(u.channel, "messenger");
         EXPECT_EQ(u.state, DeliveryState::kDelivered);
         EXPECT_EQ(u.provider_message_id,
                   "m_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn7Mm6Ll5Kk4Jj3Ii2Hh1");
         EXPECT_EQ(u.watermark, 0) << "with mids, each message is named";
         EXPECT_EQ(u.at, 1773169400);
       }},
      {"messenger", "read_no_ticket.json", 0, 1, MessageType::kText,
       [](const ParsedWebhook& p) {
         const DeliveryUpdate& u = p.updates[0];
         EXPECT_EQ(u.state, DeliveryState::kRead);
         EXPECT_TRUE(u.provider_message_id.empty());
         EXPECT_EQ(u.recipient_id, kPsid) << "the citizen who read our messages";
         EXPECT_EQ(u.watermark, 1773169455000);
       }},
      {"messenger", "echo_own_message_ignore.json", 0, 0},
      {"instagram", "text_fuga_agua.json", 1, 0, MessageType::kText,
       [](const ParsedWebhook& p) {
         const InboundMessage& m = p.messages[0];
         EXPECT_EQ(m.channel, "instagram");
         EXPECT_EQ(m.account_id, kIgAccountId);
         EXPECT_EQ(m.sender_id, kIgsid);
         EXPECT_THAT(m.text, HasSubstr("colonia Ju\xC3\xA1rez"));
         EXPECT_EQ(m.sent_at, 1773170001);
       }},
      {"instagram", "image_attachment_bache.json", 1, 0, MessageType::kImage,
       [](const ParsedWebhook& p) {
         ASSERT_FALSE(p.messages[0].media.empty());
         EXPECT_EQ(p.messages[0].media[0].provider_media_id,
                   "https://lookaside.fbsbx.com/ig_messaging_cdn/"
                   "?asset_id=18012345678901234&signature=AbCdEf");
       }},
      {"instagram", "unsent_message_deleted.json", 1, 0, MessageType::kUnsent,
       [](const ParsedWebhook& p) {
         const InboundMessage& m = p.messages[0];
         const std::string image_mid =
             "aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQxNDAwMDAwMDAwMDAxOjM0MDI4MjM2Njg0MTcxMDMwMTI"
             "0NDI3NjAxOTc0MzkzNzQyMjYxMgZDZD";
         EXPECT_EQ(m.edit_of, image_mid) << "the image it removes";
         EXPECT_EQ(m.external_id, "unsent:" + image_mid) << "not the image's own key";
         EXPECT_TRUE(m.media.empty());
       }},
      {"instagram", "echo_own_message_ignore.json", 0, 0},
  };
}

TEST(MetaChannelTest, EverySignedFixtureHasACase) {
  for (const std::string folder : {"messenger", "instagram"}) {
    std::set<std::string> covered;
    for (const FixtureCase& c : FixtureCases()) {
      if (c.folder == folder) covered.insert(c.file);
    }
    const auto signatures = testing::ReadSignatures("meta", folder);
    for (const auto& [file, signature] : signatures) {
      EXPECT_TRUE(covered.contains(file)) << folder << "/" << file << " is signed but has no case";
    }
    EXPECT_EQ(covered.size(), signatures.size()) << folder;
  }
}

TEST(MetaChannelTest, VerifiesAndParsesEveryFixture) {
  http::CurlHttpClient http;
  for (const FixtureCase& c : FixtureCases()) {
    SCOPED_TRACE(std::string(c.folder) + "/" + c.file);
    MetaChannel channel(ProductOf(c.folder), TestConfig(ProductOf(c.folder)), http);
    const HttpRequest request = SignedFixture(c.folder, c.file);
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

TEST(MetaChannelTest, BothChannelsHaveTheirNamesLimitsAndTheTwentyFourHourWindow) {
  http::CurlHttpClient http;
  MetaChannel messenger(kMessenger, TestConfig(kMessenger), http);
  MetaChannel instagram(kInstagram, TestConfig(kInstagram), http);
  EXPECT_EQ(messenger.Name(), "messenger");
  EXPECT_EQ(instagram.Name(), "instagram");
  EXPECT_EQ(messenger.MaxBodyBytes(), 4u * 1024 * 1024);
  EXPECT_EQ(messenger.ReplyWindow(), std::chrono::hours(24));
  EXPECT_EQ(instagram.ReplyWindow(), std::chrono::hours(24));
}

// --- Signatures and the handshake --------------------------------------------------------------

TEST(MetaChannelTest, RefusesMissingWrongAndBorrowedSignatures) {
  http::CurlHttpClient http;
  MetaChannel channel(kMessenger, TestConfig(kMessenger), http);
  const std::string body =
      testing::ReadTestdata("meta", "messenger/text_basura_infonavit_playas.json");

  EXPECT_FALSE(channel.Verify(Post("messenger", body, std::nullopt)));
  EXPECT_FALSE(
      channel.Verify(Post("messenger", body, "sha256=" + crypto::HmacSha256Hex("wrong", body))));
  EXPECT_FALSE(
      channel.Verify(Post("messenger", body, "sha1=" + crypto::HmacSha256Hex(kAppSecret, body))));
  // Another fixture's signature.
  EXPECT_FALSE(channel.Verify(Post(
      "messenger", body, testing::ReadSignatures("meta", "messenger").at("read_no_ticket.json"))));
  EXPECT_TRUE(channel.Verify(Post("messenger", body, Sign(body))));
}

TEST(MetaChannelTest, ReserialisedJsonNoLongerMatchesItsSignature) {
  // Meta signs the \u00f3-escaped bytes; the same JSON written back with raw UTF-8 is another body.
  http::CurlHttpClient http;
  MetaChannel channel(kMessenger, TestConfig(kMessenger), http);
  const std::string file = "text_basura_infonavit_playas.json";
  const std::string original = testing::ReadTestdata("meta", "messenger/" + file);
  const std::string reserialised = boost::json::serialize(boost::json::parse(original));
  ASSERT_NE(reserialised, original);
  EXPECT_FALSE(channel.Verify(
      Post("messenger", reserialised, testing::ReadSignatures("meta", "messenger").at(file))));
  // Tampering with one byte breaks it too.
  std::string tampered = original;
  tampered.insert(tampered.find("Hola"), " ");
  EXPECT_FALSE(channel.Verify(
      Post("messenger", tampered, testing::ReadSignatures("meta", "messenger").at(file))));
}

TEST(MetaChannelTest, WithoutAnAppSecretNothingVerifies) {
  http::CurlHttpClient http;
  MetaChannelConfig config = TestConfig(kMessenger);
  config.app_secret.clear();
  MetaChannel channel(kMessenger, config, http);
  const std::string body = "{}";
  EXPECT_FALSE(
      channel.Verify(Post("messenger", body, "sha256=" + crypto::HmacSha256Hex("", body))));
}

TEST(MetaChannelTest, AnswersTheVerificationHandshakeOnBothRoutes) {
  http::CurlHttpClient http;
  for (const Product* product : {&kMessenger, &kInstagram}) {
    SCOPED_TRACE(product->channel);
    MetaChannel channel(*product, TestConfig(*product), http);
    HttpRequest request;
    request.method = "GET";
    request.query = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=mzt-verify-2026";
    auto answer = channel.AnswerHandshake(request);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->body, "1158201444");
    request.query = "hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong";
    EXPECT_EQ(channel.AnswerHandshake(request)->status, 403);
  }
}

// --- Parsing what the fixtures do not show -----------------------------------------------------

// One Messenger POST for the Page of the fixtures, with these events.
std::string PageBody(const std::string& events, const std::string& page = kPageId) {
  return R"({"object":"page","entry":[{"id":")" + page + R"(","time":1773169400210,"messaging":[)" +
         events + "]}]}";
}

std::string Event(const std::string& body) {
  return R"({"sender":{"id":"7012345678901234"},"recipient":{"id":"104857600123456"},)"
         R"("timestamp":1773169400000,)" +
         body + "}";
}

ParsedWebhook ParseOk(const std::string& body, const Product& product = kMessenger,
                      std::string_view account = kPageId) {
  auto parsed = ParseWebhook(body, product, account);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? *parsed : ParsedWebhook{};
}

TEST(MetaChannelTest, RefusesBodiesThatAreNotNotificationsOfItsProduct) {
  const std::string instagram = testing::ReadTestdata("meta", "instagram/text_fuga_agua.json");
  for (const std::string& body : {
           std::string(""),
           std::string("not json"),
           std::string("[]"),
           std::string(10000, '['),
           instagram,  // right app, wrong route
           std::string(R"({"object":"page"})"),
           std::string(R"({"object":"page","entry":[{"messaging":[]}]})"),  // entry without id
           PageBody(R"("not an event")"),
           PageBody(Event(R"("message":{"text":"sin mid"})")),
           PageBody(R"({"recipient":{"id":"1"},"timestamp":1,"message":{"mid":"m_1","text":"x"}})"),
           PageBody(Event(R"("message":{"mid":"m_1","attachments":[{"type":"location","payload":)"
                          R"({"coordinates":{"lat":123.4,"long":-106.4}}}]})")),
           PageBody(Event(
               R"("message":{"mid":"m_1","attachments":[{"type":"location","payload":{}}]})")),
           PageBody(Event(R"("delivery":{})")),
           PageBody(Event(R"("read":{})")),
       }) {
    SCOPED_TRACE(body.substr(0, 120));
    auto parsed = ParseWebhook(body, kMessenger, kPageId);
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, Errc::kInvalidArgument);
  }
}

TEST(MetaChannelTest, SkipsEntriesForAnotherAccountUnlessAllAreAccepted) {
  const std::string body =
      testing::ReadTestdata("meta", "messenger/text_basura_infonavit_playas.json");
  EXPECT_TRUE(ParseOk(body, kMessenger, "999999999999999").messages.empty());
  EXPECT_EQ(ParseOk(body, kMessenger, "").messages.size(), 1u);
}

TEST(MetaChannelTest, ReadsSeveralEntriesAndEventsAndKeepsEachMidOnce) {
  const std::string text = Event(R"("message":{"mid":"m_A","text":"hay un bache"})");
  const std::string body =
      R"({"object":"page","entry":[)"
      R"({"id":"104857600123456","time":1,"messaging":[)" +
      text + "," + text + "," + Event(R"("message":{"mid":"m_B","text":"en la Juárez"})") + "]}," +
      R"({"id":"104857600123456","time":2,"messaging":[)" + text + "," +
      Event(R"("delivery":{"mids":["m_out1","m_out1","m_out2"],"watermark":1773169399000})") +
      "]}]}";
  const ParsedWebhook parsed = ParseOk(body);
  ASSERT_EQ(parsed.messages.size(), 2u);
  EXPECT_EQ(parsed.messages[0].external_id, "m_A");
  EXPECT_EQ(parsed.messages[1].external_id, "m_B");
  ASSERT_EQ(parsed.updates.size(), 2u);
  EXPECT_EQ(parsed.updates[0].provider_message_id, "m_out1");
  EXPECT_EQ(parsed.updates[1].provider_message_id, "m_out2");
}

TEST(MetaChannelTest, AnEchoOrAnEventFromOurOwnPageIsNothing) {
  EXPECT_TRUE(ParseOk(PageBody(Event(R"("message":{"mid":"m_1","text":"x","is_echo":true})")))
                  .messages.empty());
  EXPECT_TRUE(ParseOk(PageBody(R"({"sender":{"id":"104857600123456"},"recipient":{"id":"7"},)"
                               R"("timestamp":1,"message":{"mid":"m_2","text":"x"}})"))
                  .messages.empty());
}

TEST(MetaChannelTest, DeliveryWithoutMidsIsOneWatermarkForTheCitizen) {
  const ParsedWebhook parsed =
      ParseOk(PageBody(Event(R"("delivery":{"watermark":1773169399000})")));
  ASSERT_EQ(parsed.updates.size(), 1u);
  const DeliveryUpdate& u = parsed.updates[0];
  EXPECT_EQ(u.state, DeliveryState::kDelivered);
  EXPECT_TRUE(u.provider_message_id.empty());
  EXPECT_EQ(u.recipient_id, kPsid);
  EXPECT_EQ(u.watermark, 1773169399000);
  EXPECT_EQ(ParseOk(PageBody(Event(R"("delivery":{"mids":[],"watermark":5})"))).updates.size(), 1u);
}

TEST(MetaChannelTest, InstagramReadReceiptsNameTheMessage) {
  const std::string body =
      R"({"object":"instagram","entry":[{"id":"17841400000000001","time":1,"messaging":[)"
      R"({"sender":{"id":"1283746509182736"},"recipient":{"id":"17841400000000001"},)"
      R"("timestamp":1773170300000,"read":{"mid":"aWdf_out"}}]}]})";
  const ParsedWebhook parsed = ParseOk(body, kInstagram, kIgAccountId);
  ASSERT_EQ(parsed.updates.size(), 1u);
  EXPECT_EQ(parsed.updates[0].channel, "instagram");
  EXPECT_EQ(parsed.updates[0].state, DeliveryState::kRead);
  EXPECT_EQ(parsed.updates[0].provider_message_id, "aWdf_out");
}

TEST(MetaChannelTest, PostbacksStartTheConversationOrAnswerAMenu) {
  struct Case {
    const char* postback;
    MessageType type;
    const char* reply_payload;
  };
  const Case cases[] = {
      {R"({"mid":"m_p","title":"Empezar","payload":"get_started"})", MessageType::kStart, ""},
      {R"({"mid":"m_p","title":"Empezar","payload":"EMPEZAR"})", MessageType::kStart, ""},
      {R"({"mid":"m_p","title":"Empezar","payload":"GET_STARTED",)"
       R"("referral":{"ref":"folio_2026-000123","source":"SHORTLINK","type":"OPEN_THREAD"}})",
       MessageType::kStart, "folio_2026-000123"},
      {R"({"mid":"m_p","title":"Basura","payload":"MENU_BASURA"})", MessageType::kInteractiveReply,
       "MENU_BASURA"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.postback);
    const ParsedWebhook parsed =
        ParseOk(PageBody(Event(std::string(R"("postback":)") + c.postback)));
    ASSERT_EQ(parsed.messages.size(), 1u);
    EXPECT_EQ(parsed.messages[0].type, c.type);
    EXPECT_EQ(parsed.messages[0].reply_payload, c.reply_payload);
    EXPECT_EQ(parsed.messages[0].external_id, "m_p");
    EXPECT_FALSE(parsed.messages[0].text.empty()) << "the button's title";
  }
  // Older postbacks carry no mid: the tap is keyed by who and when, the same on redelivery.
  const ParsedWebhook old =
      ParseOk(PageBody(Event(R"("postback":{"title":"Basura","payload":"MENU_BASURA"})")));
  ASSERT_EQ(old.messages.size(), 1u);
  EXPECT_EQ(old.messages[0].external_id, "postback:7012345678901234:1773169400000");
}

TEST(MetaChannelTest, AttachmentsBecomeMediaLocationsOrStickers) {
  struct Case {
    const char* attachments;
    MessageType type;
    const char* mime_type;  // "" when there is no media
  };
  const Case cases[] = {
      {R"([{"type":"video","payload":{"url":"https://cdn.example/v.mp4"}}])", MessageType::kVideo,
       "video/mp4"},
      {R"([{"type":"audio","payload":{"url":"https://cdn.example/a.mp4"}}])", MessageType::kAudio,
       "audio/mp4"},
      {R"([{"type":"file","payload":{"url":"https://cdn.example/f.pdf"}}])", MessageType::kDocument,
       "application/octet-stream"},
      {R"([{"type":"image","payload":{"url":"https://cdn.example/s.png",)"
       R"("sticker_id":369239263222822}}])",
       MessageType::kSticker, ""},
      {R"([{"type":"like_heart","payload":{}}])", MessageType::kSticker, ""},
      {R"([{"type":"location","title":"Ubicación",)"
       R"("payload":{"coordinates":{"lat":23.2329,"long":-106.4062}}}])",
       MessageType::kLocation, ""},
      {R"([{"type":"fallback","payload":{"url":"https://www.example/nota"},"title":"Nota"}])",
       MessageType::kText, ""},
      {R"([{"type":"ig_reel","payload":{"url":"https://cdn.example/r"}}])",
       MessageType::kUnsupported, ""},
      {R"([{"type":"image","payload":{"url":"https://cdn.example/1.jpg"}},)"
       R"({"type":"image","payload":{"url":"https://cdn.example/2.jpg"}}])",
       MessageType::kImage, "image/jpeg"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.attachments);
    const ParsedWebhook parsed = ParseOk(PageBody(
        Event(std::string(R"("message":{"mid":"m_1","attachments":)") + c.attachments + "}")));
    ASSERT_EQ(parsed.messages.size(), 1u);
    const InboundMessage& m = parsed.messages[0];
    EXPECT_EQ(m.type, c.type);
    EXPECT_EQ(m.media.empty() ? "" : m.media[0].mime_type, c.mime_type);
    if (c.type == MessageType::kLocation) {
      ASSERT_TRUE(m.location);
      EXPECT_NEAR(m.location->latitude, 23.2329, 1e-9);
      EXPECT_NEAR(m.location->longitude, -106.4062, 1e-9);
    }
    if (c.type == MessageType::kText) {
      EXPECT_EQ(m.text, "https://www.example/nota");
    }
  }
  // A mention of our account in someone's story is not a message to us.
  const std::string mention =
      R"({"object":"instagram","entry":[{"id":"17841400000000001","time":1,"messaging":[)"
      R"({"sender":{"id":"1283746509182736"},"recipient":{"id":"17841400000000001"},"timestamp":1,)"
      R"("message":{"mid":"aWdf_m","attachments":[{"type":"story_mention",)"
      R"("payload":{"url":"https://cdn.example/s"}}]}}]}]})";
  EXPECT_TRUE(ParseOk(mention, kInstagram, kIgAccountId).messages.empty());
}

TEST(MetaChannelTest, RepliesEditsAndEventsThatAreNotPetitions) {
  const ParsedWebhook reply = ParseOk(PageBody(
      Event(R"("message":{"mid":"m_2","text":"sigue igual","reply_to":{"mid":"m_ours"}})")));
  ASSERT_EQ(reply.messages.size(), 1u);
  EXPECT_EQ(reply.messages[0].context_id, "m_ours");

  const ParsedWebhook edit = ParseOk(PageBody(
      Event(R"("message_edit":{"mid":"m_2","text":"sigue igual, calle Sauce","num_edit":1})")));
  ASSERT_EQ(edit.messages.size(), 1u);
  EXPECT_EQ(edit.messages[0].type, MessageType::kEdit);
  EXPECT_EQ(edit.messages[0].edit_of, "m_2");
  EXPECT_EQ(edit.messages[0].external_id, "m_2:edit:1");
  EXPECT_EQ(edit.messages[0].text, "sigue igual, calle Sauce");

  const ParsedWebhook unsupported =
      ParseOk(PageBody(Event(R"("message":{"mid":"m_3","is_unsupported":true})")));
  ASSERT_EQ(unsupported.messages.size(), 1u);
  EXPECT_EQ(unsupported.messages[0].type, MessageType::kUnsupported);

  for (const char* event : {
           R"("reaction":{"mid":"m_ours","action":"react","reaction":"like","emoji":"👍"})",
           R"("referral":{"ref":"cartel_parada","source":"SHORTLINK","type":"OPEN_THREAD"})",
           R"("optin":{"type":"notification_messages","payload":"avisos"})",
       }) {
    SCOPED_TRACE(event);
    const ParsedWebhook parsed = ParseOk(PageBody(Event(event)));
    EXPECT_TRUE(parsed.messages.empty());
    EXPECT_TRUE(parsed.updates.empty());
  }
  // Entries without messaging (Instagram comments arrive as "changes") are skipped.
  EXPECT_TRUE(
      ParseOk(R"({"object":"page","entry":[{"id":"104857600123456","time":1,"changes":[]}]})")
          .messages.empty());
}

TEST(MetaChannelTest, MediaIsFetchedFromItsCdnUrlWithoutTheToken) {
  http::CurlHttpClient http;
  MetaChannel channel(kInstagram, TestConfig(kInstagram), http);
  const std::string url =
      "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=18012345678901234&signature=AbCdEf";
  auto source = channel.LocateMedia(url);
  ASSERT_TRUE(source) << source.error().message;
  EXPECT_EQ(source->url, url);
  EXPECT_TRUE(source->headers.empty()) << "the Page token never goes to a CDN";
  EXPECT_THAT(source->allowed_hosts, ::testing::IsSupersetOf({".fbcdn.net", ".fbsbx.com"}));
}

// --- Sending ----------------------------------------------------------------------------------

OutboundMessage Reply(const Product& product, std::string text) {
  OutboundMessage message;
  message.outbox_id = 7;
  message.channel = std::string(product.channel);
  message.account_id = &product == &kMessenger ? kPageId : kIgAccountId;
  message.recipient = &product == &kMessenger ? kPsid : kIgsid;
  message.text = std::move(text);
  return message;
}

HttpResponse SentOk() {
  return HttpResponse::Json(
      200, testing::ReadTestdata("meta", "messenger/outbound_send_response_ok.json"));
}

TEST(MetaChannelTest, SendsMessengerRepliesInTheDocumentedShape) {
  testing::FakeProvider graph(kSendPath, SentOk());
  http::CurlHttpClient http;
  MetaChannel channel(kMessenger, TestConfig(kMessenger, graph.BaseUrl() + "/v21.0"), http);
  const auto documented = boost::json::parse(
      testing::ReadTestdata("meta", "messenger/outbound_send_text_response_window.json"));
  const std::string text(documented.at("message").at("text").as_string());

  const SendOutcome outcome = channel.Send(Reply(kMessenger, text));
  ASSERT_EQ(outcome.kind, SendOutcome::Kind::kSent) << outcome.error;
  EXPECT_EQ(outcome.provider_message_id,
            "m_Zz9Yy8Xx7Ww6Vv5Uu4Tt3Ss2Rr1Qq0Pp9Oo8Nn7Mm6Ll5Kk4Jj3Ii2Hh1");

  const auto requests = graph.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].query, "access_token=test-page-token");
  EXPECT_EQ(requests[0].headers.Get("Content-Type"), "application/json");
  // Exactly testdata/messenger/outbound_send_text_response_window.json.
  EXPECT_EQ(boost::json::parse(requests[0].body), documented);
}

TEST(MetaChannelTest, SendsInstagramRepliesThroughThePageToo) {
  testing::FakeProvider graph(kSendPath, SentOk());
  http::CurlHttpClient http;
  MetaChannel channel(kInstagram, TestConfig(kInstagram, graph.BaseUrl() + "/v21.0"), http);
  const auto documented =
      boost::json::parse(testing::ReadTestdata("meta", "instagram/outbound_send_text.json"))
          .as_object();
  const std::string text(documented.at("message").at("text").as_string());

  ASSERT_EQ(channel.Send(Reply(kInstagram, text)).kind, SendOutcome::Kind::kSent);
  const auto requests = graph.Requests();
  ASSERT_EQ(requests.size(), 1u);
  const auto sent = boost::json::parse(requests[0].body).as_object();
  // The documented recipient and message, plus the messaging_type Messenger's API also takes here.
  EXPECT_EQ(sent.at("recipient"), documented.at("recipient"));
  EXPECT_EQ(sent.at("message"), documented.at("message"));
  EXPECT_EQ(sent.at("messaging_type").as_string(), "RESPONSE");
}

// The body of the one request `message` makes, through `config`.
boost::json::value SentBody(const OutboundMessage& message, MetaChannelConfig config) {
  testing::FakeProvider graph(kSendPath, SentOk());
  http::CurlHttpClient http;
  config.api_base_url = graph.BaseUrl() + "/v21.0";
  MetaChannel channel(kMessenger, std::move(config), http);
  const SendOutcome outcome = channel.Send(message);
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kSent) << outcome.error;
  const auto requests = graph.Requests();
  if (requests.size() != 1) {
    ADD_FAILURE() << requests.size() << " requests";
    return {};
  }
  return boost::json::parse(requests[0].body);
}

TEST(MetaChannelTest, ButtonsBecomeQuickRepliesInTheDocumentedShape) {
  const auto documented =
      boost::json::parse(testing::ReadTestdata("meta", "messenger/outbound_send_quick_replies.json"));
  OutboundMessage message =
      Reply(kMessenger, std::string(documented.at("message").at("text").as_string()));
  for (const auto& reply : documented.at("message").at("quick_replies").as_array()) {
    message.buttons.push_back({std::string(reply.at("payload").as_string()),
                               std::string(reply.at("title").as_string())});
  }
  // Exactly testdata/messenger/outbound_send_quick_replies.json.
  EXPECT_EQ(SentBody(message, TestConfig(kMessenger, "")), documented);
}

TEST(MetaChannelTest, OutsideTheWindowTheConfiguredTagGoesOrNothingDoes) {
  const auto documented =
      boost::json::parse(testing::ReadTestdata("meta", "messenger/outbound_send_human_agent_tag.json"));
  OutboundMessage message =
      Reply(kMessenger, std::string(documented.at("message").at("text").as_string()));
  message.outside_window = true;
  MetaChannelConfig tagged = TestConfig(kMessenger, "");
  tagged.outside_window_tag = "HUMAN_AGENT";
  // Exactly testdata/messenger/outbound_send_human_agent_tag.json.
  EXPECT_EQ(SentBody(message, tagged), documented);

  testing::FakeProvider graph(kSendPath, SentOk());
  http::CurlHttpClient http;
  MetaChannel untagged(kMessenger, TestConfig(kMessenger, graph.BaseUrl() + "/v21.0"), http);
  const SendOutcome outcome = untagged.Send(message);
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kPermanent);
  EXPECT_THAT(outcome.error, HasSubstr("outside the 24-hour window"));
  EXPECT_TRUE(graph.Requests().empty());
}

TEST(MetaChannelTest, ThePageTokenIsEscapedInTheQuery) {
  testing::FakeProvider graph(kSendPath, SentOk());
  http::CurlHttpClient http;
  MetaChannelConfig config = TestConfig(kMessenger, graph.BaseUrl() + "/v21.0");
  config.page_token = "EAAB+x/y=z&w";
  MetaChannel channel(kMessenger, config, http);
  ASSERT_EQ(channel.Send(Reply(kMessenger, "hola")).kind, SendOutcome::Kind::kSent);
  EXPECT_EQ(graph.Requests().at(0).query, "access_token=EAAB%2Bx%2Fy%3Dz%26w");
}

std::vector<std::string> SentTexts(const testing::FakeProvider& graph) {
  std::vector<std::string> texts;
  for (const HttpRequest& request : graph.Requests()) {
    texts.emplace_back(boost::json::parse(request.body).at("message").at("text").as_string());
  }
  return texts;
}

TEST(MetaChannelTest, LongRepliesAreSplitWithinEachProductsLimit) {
  std::string sentence = "La boleta sigue en atención, gracias por su paciencia. ";  // 55 chars
  std::string text;
  while (text.size() < 4500) text += sentence;
  {
    testing::FakeProvider graph(kSendPath, SentOk());
    http::CurlHttpClient http;
    MetaChannel channel(kMessenger, TestConfig(kMessenger, graph.BaseUrl() + "/v21.0"), http);
    ASSERT_EQ(channel.Send(Reply(kMessenger, text)).kind, SendOutcome::Kind::kSent);
    const auto texts = SentTexts(graph);
    EXPECT_EQ(texts.size(), 3u);
    for (const std::string& piece : texts) EXPECT_LE(piece.size(), 2100u);  // ≤ 2,000 characters
  }
  {
    // Instagram counts bytes: emoji take four each.
    std::string emoji_text;
    for (int i = 0; i < 400; ++i) emoji_text += "\xF0\x9F\x92\xA1 ";  // 💡
    testing::FakeProvider graph(kSendPath, SentOk());
    http::CurlHttpClient http;
    MetaChannel channel(kInstagram, TestConfig(kInstagram, graph.BaseUrl() + "/v21.0"), http);
    ASSERT_EQ(channel.Send(Reply(kInstagram, emoji_text)).kind, SendOutcome::Kind::kSent);
    const auto texts = SentTexts(graph);
    EXPECT_GE(texts.size(), 2u);
    std::size_t emoji = 0;
    for (const std::string& piece : texts) {
      EXPECT_LE(piece.size(), 1000u);
      for (std::size_t at = piece.find("\xF0\x9F\x92\xA1"); at != std::string::npos;
           at = piece.find("\xF0\x9F\x92\xA1", at + 1)) {
        ++emoji;
      }
    }
    EXPECT_EQ(emoji, 400u) << "nothing lost at the cuts";
  }
}

TEST(MetaChannelTest, AFailedPieceStopsTheReply) {
  testing::FakeProvider graph(kSendPath, SentOk());
  graph.Script(SentOk());
  graph.Script(HttpResponse::Json(503, "{}"));
  http::CurlHttpClient http;
  MetaChannel channel(kMessenger, TestConfig(kMessenger, graph.BaseUrl() + "/v21.0"), http);
  const SendOutcome outcome = channel.Send(Reply(kMessenger, std::string(4500, 'a')));
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kRetryable);
  EXPECT_EQ(graph.Requests().size(), 2u);
}

TEST(MetaChannelTest, ClassifiesGraphApiAnswers) {
  const auto graph_error = [](int status, const std::string& error) {
    return HttpResponse::Json(status, R"({"error":{"message":"…","type":"OAuthException",)" +
                                          error + R"(,"fbtrace_id":"AbC"}})");
  };
  HttpResponse with_retry_after = graph_error(429, R"("code":613)");
  with_retry_after.headers.Add("Retry-After", "30");
  struct Case {
    const char* label;
    HttpResponse answer;
    SendOutcome::Kind kind;
    bool blocked = false;
    std::optional<std::chrono::seconds> retry_after = std::nullopt;
    const char* says = "";
  };
  const std::vector<Case> cases = {
      {"429 with Retry-After", with_retry_after, SendOutcome::Kind::kRetryable, false,
       std::chrono::seconds(30)},
      {"server error", HttpResponse::Json(503, "{}"), SendOutcome::Kind::kRetryable},
      {"temporary failure", graph_error(500, R"("code":2)"), SendOutcome::Kind::kRetryable},
      {"app rate limit", graph_error(400, R"("code":4)"), SendOutcome::Kind::kRetryable},
      {"user rate limit", graph_error(400, R"("code":17)"), SendOutcome::Kind::kRetryable},
      {"page rate limit", graph_error(400, R"("code":32)"), SendOutcome::Kind::kRetryable},
      {"send rate limit", graph_error(400, R"("code":613)"), SendOutcome::Kind::kRetryable},
      {"person unavailable", graph_error(400, R"("code":551,"error_subcode":1545041)"),
       SendOutcome::Kind::kPermanent, true, std::nullopt, "not available"},
      {"person unavailable, old code", graph_error(400, R"("code":200,"error_subcode":1545041)"),
       SendOutcome::Kind::kPermanent, true},
      {"outside the window", graph_error(400, R"("code":10,"error_subcode":2018278)"),
       SendOutcome::Kind::kPermanent, false, std::nullopt, "outside the 24-hour window"},
      {"window, news permission", graph_error(400, R"("code":10,"error_subcode":2018108)"),
       SendOutcome::Kind::kPermanent, false, std::nullopt, "outside the 24-hour window"},
      {"bad token", graph_error(400, R"("code":190,"error_subcode":460)"),
       SendOutcome::Kind::kPermanent, false, std::nullopt, "Page token"},
      {"no matching user", graph_error(400, R"("code":100,"error_subcode":2018001)"),
       SendOutcome::Kind::kPermanent},
      {"not JSON", HttpResponse::Text(403, "forbidden"), SendOutcome::Kind::kPermanent},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    testing::FakeProvider graph(kSendPath, c.answer);
    http::CurlHttpClient http;
    MetaChannel channel(kMessenger, TestConfig(kMessenger, graph.BaseUrl() + "/v21.0"), http);
    const SendOutcome outcome = channel.Send(Reply(kMessenger, "hola"));
    EXPECT_EQ(outcome.kind, c.kind);
    EXPECT_EQ(outcome.recipient_blocked, c.blocked);
    EXPECT_EQ(outcome.retry_after, c.retry_after);
    EXPECT_THAT(outcome.error, HasSubstr("messenger answered " + std::to_string(c.answer.status)));
    EXPECT_THAT(outcome.error, HasSubstr(c.says));
    EXPECT_THAT(outcome.error, ::testing::Not(HasSubstr("test-page-token")));
  }
}

TEST(MetaChannelTest, AnUnreachableGraphApiIsRetryable) {
  http::CurlHttpClient http;
  MetaChannel channel(kInstagram, TestConfig(kInstagram, "http://127.0.0.1:9/v21.0"), http);
  const SendOutcome outcome = channel.Send(Reply(kInstagram, "hola"));
  EXPECT_EQ(outcome.kind, SendOutcome::Kind::kRetryable);
  EXPECT_EQ(outcome.error, "connection failed");
}

}  // namespace
}  // namespace sac::channels::meta
