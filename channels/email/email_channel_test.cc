// Table-driven tests over every file in testdata/ (the authored fixtures of
// ../shared/fixtures/channels/email), each through the route its provider uses: verified with the
// test secrets (signatures.txt; SNS fixtures re-signed with a certificate made for the test and
// served by a fake SNS host) and read into what the inbox stores. Then the refusals, and replies
// through a fake SMTP relay.
#include "channels/email/email_channel.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <set>

#include "channels/email/outgoing_mail.h"
#include "crypto/digest.h"
#include "http/curl_client.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_provider.h"
#include "tests/support/fake_smtp_server.h"
#include "tests/support/sns_signer.h"
#include "tests/support/testdata.h"

namespace sac::channels::email {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr const char* kRawToken = "mzt-test-email-webhook-token";
constexpr const char* kPostmarkToken = "mzt-test-postmark-token";
constexpr const char* kSendgridToken = "mzt-test-sendgrid-token";
constexpr const char* kMailgunKey = "mzt-test-mailgun-signing-key";  // signatures.txt
constexpr const char* kTopic = "arn:aws:sns:us-east-1:123456789012:mzt-correo-entrante";
constexpr std::int64_t kMailgunSignedAt = 1773170000;  // the fixture's timestamp

EmailConfig TestConfig(const std::string& smtp_url = "smtp://127.0.0.1:9") {
  EmailConfig config;
  config.enabled = true;
  config.from_address = "atencion-ciudadana@municipio.example";
  config.smtp_url = smtp_url;
  config.send_timeout = std::chrono::milliseconds(5000);
  config.raw_webhook = config.postmark = config.mailgun = config.sendgrid = config.ses = true;
  config.ses_topic_arn = kTopic;
  config.sns_cert_host_pattern = R"(127\.0\.0\.1)";
  config.allow_insecure_sns_urls = true;  // the fake SNS host speaks plain http
  config.webhook_token = kRawToken;
  config.postmark_token = kPostmarkToken;
  config.mailgun_signing_key = kMailgunKey;
  config.sendgrid_token = kSendgridToken;
  return config;
}

TimePoint At(std::int64_t unix_seconds) {
  return TimePoint(std::chrono::seconds(unix_seconds));
}

class EmailChannelTest : public ::testing::Test {
 protected:
  EmailChannelTest()
      : sns_host_({{"GET", "/cert.pem", Pem()}, {"GET", "/confirm", HttpResponse::Text(200, "ok")}}),
        clock_(At(kMailgunSignedAt + 30)),
        reader_(TestConfig(), http_, clock_) {}

  HttpResponse Pem() {
    HttpResponse pem = HttpResponse::Text(200, signer_.CertificatePem());
    pem.content_type = "application/x-pem-file";
    return pem;
  }

  // The request each provider would send with this fixture.
  HttpRequest Fixture(const std::string& file) {
    HttpRequest request;
    request.method = "POST";
    request.body = testing::ReadTestdata("email", file);
    if (file.ends_with(".eml")) {
      request.path = std::string(kRawPath);
      request.headers.Add("Content-Type", "message/rfc822");
      request.headers.Add("Authorization", std::string("Bearer ") + kRawToken);
    } else if (file.starts_with("postmark_")) {
      request.path = std::string(kPostmarkPath);
      request.headers.Add("Content-Type", "application/json");
      request.headers.Add("Authorization",
                          "Basic " + crypto::Base64Encode(std::string("postmark:") + kPostmarkToken));
    } else if (file.starts_with("mailgun_")) {
      request.path = std::string(kMailgunPath);
      request.headers.Add("Content-Type", "application/x-www-form-urlencoded");
    } else if (file.starts_with("sendgrid_")) {
      request.path = std::string(kSendgridPath);
      request.query = std::string("token=") + kSendgridToken;
      request.headers.Add("Content-Type", "multipart/form-data; boundary=xYzZY");
    } else {
      request.path = std::string(kSesPath);
      request.headers.Add("Content-Type", "text/plain; charset=UTF-8");
      request.body = signer_.Sign(request.body, sns_host_.BaseUrl() + "/cert.pem",
                                  file.starts_with("sns_subscription") ? sns_host_.BaseUrl() + "/confirm" : "");
    }
    return request;
  }

  MailRequest VerifiedRead(const HttpRequest& request) {
    auto verified = reader_.Verify(request);
    EXPECT_TRUE(verified) << verified.error().message;
    auto read = reader_.Read(request);
    EXPECT_TRUE(read) << read.error().message;
    return read ? *read : MailRequest{};
  }

  testing::SnsSigner signer_;
  testing::FakeProvider sns_host_;
  testing::FakeClock clock_;
  http::CurlHttpClient http_;
  EmailReader reader_;
};

const InboundMessage& OnlyMessage(const MailRequest& read) {
  EXPECT_EQ(read.mail.parsed.messages.size(), 1u);
  EXPECT_TRUE(read.mail.parsed.updates.empty());
  static const InboundMessage kNone;
  return read.mail.parsed.messages.empty() ? kNone : read.mail.parsed.messages[0];
}

// The ISO-8859-1 report in the .eml, in SES's content and (as fields) in Mailgun's form.
void ExpectBasuraReport(const MailRequest& read) {
  const InboundMessage& m = OnlyMessage(read);
  EXPECT_EQ(m.channel, "email");
  EXPECT_EQ(m.type, MessageType::kText);
  EXPECT_EQ(m.external_id, "DM6PR02MB4567A1B2C3D4E5F6@DM6PR02MB4567.namprd02.prod.outlook.example");
  EXPECT_EQ(m.sender_id, "martha.pena@correo.example");
  EXPECT_EQ(m.sender_name, "Martha Elena Peña Ibarra");
  EXPECT_THAT(m.text, StartsWith("No han recogido la basura en Infonavit Playas desde el lunes\n\n"
                                 "Buenas tardes:\n\nLes escribo para reportar que el camión de la "
                                 "basura no ha pasado por la calle Río Ameca"))
      << "the encoded-word subject joined across its folded lines, then the body";
  EXPECT_THAT(m.text, HasSubstr("los perros las están rompiendo."));
  EXPECT_THAT(m.text, Not(HasSubstr("<p>"))) << "text/plain preferred to the HTML";
  EXPECT_TRUE(m.media.empty());
  EXPECT_TRUE(m.context_id.empty());
}

struct FixtureCase {
  const char* file;
  std::function<void(const MailRequest&)> check;
};

std::vector<FixtureCase> FixtureCases() {
  return {
      {"mime_nuevo_reporte_iso8859_qp_con_html.eml", ExpectBasuraReport},
      {"mime_solo_html_utf8_base64.eml",
       [](const MailRequest& read) {
         const InboundMessage& m = OnlyMessage(read);
         EXPECT_EQ(m.type, MessageType::kText);
         EXPECT_EQ(m.sender_name, "Jesús Ramón Zazueta");
         EXPECT_EQ(m.text,
                   "Luminaria apagada en Villa Verde\n\nHola, buenas noches.\n\nLa luminaria del "
                   "poste que está frente al parque de Villa Verde lleva dos semanas apagada. En la "
                   "noche está muy oscuro y ya asaltaron a una vecina.\n\n¿Me pueden decir cuándo la "
                   "van a reparar?\n\nSaludos,\nJesús Ramón Zazueta")
             << "no hidden preheader, no tracking pixel, no tags";
         EXPECT_TRUE(m.media.empty()) << "the 1×1 pixel is a remote image, not an attachment";
       }},
      {"mime_respuesta_hilo_con_cita_y_firma.eml",
       [](const MailRequest& read) {
         const InboundMessage& m = OnlyMessage(read);
         EXPECT_EQ(m.type, MessageType::kText);
         EXPECT_EQ(m.text,
                   "Ya vinieron a revisar pero nada más pusieron un cono, la fuga sigue igual. "
                   "¿Pueden volver a mandar a la cuadrilla?")
             << "no reply subject, quote header, quoted lines, signature nor iPhone footer";
         EXPECT_EQ(m.context_id, "boleta.MZT-2026-000123.2@municipio.example");
         EXPECT_EQ(m.reply_payload, "2026-000123") << "the folio of the plus address";
         EXPECT_EQ(m.external_id, "1A2B3C4D-5E6F-4789-ABCD-0123456789AB@correo.example");
       }},
      {"mime_respuesta_automatica_fuera_de_oficina.eml",
       [](const MailRequest& read) {
         const InboundMessage& m = OnlyMessage(read);
         EXPECT_EQ(m.type, MessageType::kAutoReply) << "never a boleta, never answered";
         EXPECT_EQ(m.context_id, "boleta.MZT-2026-000127.3@municipio.example");
       }},
      {"mime_rebote_dsn_5_1_1.eml",
       [](const MailRequest& read) {
         EXPECT_TRUE(read.mail.parsed.messages.empty()) << "a bounce is no citizen's message";
         ASSERT_EQ(read.mail.parsed.updates.size(), 1u);
         const DeliveryUpdate& u = read.mail.parsed.updates[0];
         EXPECT_EQ(u.channel, "email");
         EXPECT_EQ(u.provider_message_id, "boleta.MZT-2026-000125.1@municipio.example");
         EXPECT_EQ(u.state, DeliveryState::kFailed);
         EXPECT_EQ(u.error_code, "5.1.1");
         EXPECT_EQ(u.error_title, "mailbox does not exist");
         EXPECT_TRUE(u.recipient_unreachable);
       }},
      {"mime_reporte_con_foto_adjunta_8bit.eml",
       [](const MailRequest& read) {
         const InboundMessage& m = OnlyMessage(read);
         EXPECT_EQ(m.type, MessageType::kImage);
         EXPECT_EQ(m.external_id, "b7e9c1a0-4f2d-4c3b-9e8a-7d6c5b4a3f21@correo.example");
         EXPECT_EQ(m.text, "Fuga de agua colonia Juárez (con foto)\n\nBuen día. Anexo foto de la fuga "
                           "de agua en la colonia Juárez, calle Laureles. El agua ya llegó hasta la "
                           "banqueta de la primaria.\n\nJosé Luis Lizárraga");
         ASSERT_EQ(m.media.size(), 1u);
         ASSERT_EQ(read.mail.files.size(), 1u);
         EXPECT_THAT(read.mail.files[0], StartsWith("\x89PNG"));
         EXPECT_EQ(m.media[0].provider_media_id, "sha256:" + crypto::Sha256Hex(read.mail.files[0]));
         EXPECT_EQ(m.media[0].kind, MessageType::kImage);
         EXPECT_EQ(m.media[0].mime_type, "image/png");
         EXPECT_EQ(m.media[0].filename, "fuga_laureles.png");
         EXPECT_EQ(m.media[0].size_bytes, 69);
       }},
      {"postmark_inbound_reporte_con_foto.json",
       [](const MailRequest& read) {
         const InboundMessage& m = OnlyMessage(read);
         EXPECT_EQ(m.type, MessageType::kImage);
         EXPECT_EQ(m.external_id, "b7e9c1a0-4f2d-4c3b-9e8a-7d6c5b4a3f21@correo.example")
             << "the Message-ID header: the same mail as the .eml, whichever way it came";
         EXPECT_EQ(m.sender_id, "jl.lizarraga@correo.example");
         EXPECT_EQ(m.sender_name, "José Luis Lizárraga");
         EXPECT_THAT(m.text, StartsWith("Fuga de agua colonia Juárez (con foto)\n\nBuen día."));
         ASSERT_EQ(m.media.size(), 1u);
         EXPECT_EQ(m.media[0].filename, "fuga_laureles.png");
         EXPECT_EQ(m.media[0].size_bytes, 69);
         EXPECT_THAT(read.mail.files.at(0), StartsWith("\x89PNG"));
       }},
      {"postmark_inbound_respuesta_mailboxhash.json",
       [](const MailRequest& read) {
         const InboundMessage& m = OnlyMessage(read);
         EXPECT_EQ(m.text,
                   "Ya vinieron a revisar pero nada más pusieron un cono, la fuga sigue igual. "
                   "¿Pueden volver a mandar a la cuadrilla?");
         EXPECT_EQ(m.reply_payload, "2026-000123") << "MailboxHash, from the plus address";
         EXPECT_EQ(m.context_id, "boleta.MZT-2026-000123.2@municipio.example");
         EXPECT_EQ(m.external_id, "1A2B3C4D-5E6F-4789-ABCD-0123456789AB@correo.example");
       }},
      {"mailgun_route_forward_basura.form",
       [](const MailRequest& read) {
         const InboundMessage& m = OnlyMessage(read);
         EXPECT_EQ(m.type, MessageType::kText);
         EXPECT_EQ(m.external_id,
                   "DM6PR02MB4567A1B2C3D4E5F6@DM6PR02MB4567.namprd02.prod.outlook.example");
         EXPECT_EQ(m.sender_id, "martha.pena@correo.example");
         EXPECT_EQ(m.sender_name, "Martha Elena Peña Ibarra");
         EXPECT_THAT(m.text, StartsWith("No han recogido la basura en Infonavit Playas desde el "
                                        "lunes\n\nBuenas tardes:"));
         EXPECT_THAT(m.text, HasSubstr("camión de la basura"));
         EXPECT_EQ(read.mail.replay_token, "7c1f4e9a2b6d8c0e3f5a7b9d1c3e5f7a9b1d3f5a7c9e1b3d5f");
       }},
      {"sendgrid_inbound_parse_iso8859.multipart",
       [](const MailRequest& read) {
         const InboundMessage& m = OnlyMessage(read);
         EXPECT_EQ(m.external_id, "3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c@correo.example");
         EXPECT_EQ(m.sender_id, "martha.pena@correo.example");
         EXPECT_EQ(m.sender_name, "Martha Peña");
         EXPECT_EQ(m.text, "Fuga de agua en colonia Juárez\n\nBuen día, reporto que en la colonia "
                           "Juárez, calle Laureles, hay una fuga de agua desde hace tres días. "
                           "Saludos.\n\nMartha Peña")
             << "every field decoded with the charset `charsets` names";
       }},
      {"ses_sns_notification_received.json", ExpectBasuraReport},
      {"sns_subscription_confirmation.json",
       [](const MailRequest& read) {
         EXPECT_EQ(read.kind, MailRequest::Kind::kSnsSubscription);
         EXPECT_EQ(read.sns.topic_arn, kTopic);
         EXPECT_TRUE(read.mail.parsed.messages.empty());
       }},
  };
}

TEST(EmailFixturesTest, EveryFixtureHasACase) {
  std::set<std::string> covered;
  for (const FixtureCase& c : FixtureCases()) covered.insert(c.file);
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::SourceDir() / "channels/email/testdata")) {
    const std::string file = entry.path().filename().string();
    if (file == "README.md" || file == "signatures.txt") continue;
    EXPECT_TRUE(covered.contains(file)) << file << " is a fixture without a test case";
  }
}

TEST_F(EmailChannelTest, VerifiesAndReadsEveryFixture) {
  for (const FixtureCase& c : FixtureCases()) {
    SCOPED_TRACE(c.file);
    const HttpRequest request = Fixture(c.file);
    EXPECT_TRUE(reader_.AcceptsMediaType(request.path, "message/rfc822") ==
                (request.path == kRawPath));
    c.check(VerifiedRead(request));
  }
}

TEST_F(EmailChannelTest, TheChannelParsesWhatTheRoutesRead) {
  EmailChannel channel(TestConfig(), http_, clock_);
  EXPECT_EQ(channel.Name(), "email");
  EXPECT_TRUE(channel.WebhookPaths().empty()) << "EmailWebhooks serves the routes";
  const HttpRequest request = Fixture("mime_reporte_con_foto_adjunta_8bit.eml");
  ASSERT_TRUE(channel.Verify(request));
  auto parsed = channel.Parse(request);
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->messages.size(), 1u);
  EXPECT_THAT(parsed->messages[0].media.at(0).provider_media_id, StartsWith("sha256:"));
  EXPECT_EQ(StoredMediaSha256(parsed->messages[0].media[0].provider_media_id).value_or(""),
            parsed->messages[0].media[0].sha256);
}

// --- Refusals ------------------------------------------------------------------------------------

TEST_F(EmailChannelTest, EachRouteWantsItsOwnSecret) {
  HttpRequest raw = Fixture("mime_solo_html_utf8_base64.eml");
  raw.headers = Headers();
  raw.headers.Add("Content-Type", "message/rfc822");
  EXPECT_EQ(reader_.Verify(raw).error().code, Errc::kUnauthenticated) << "no credentials";
  raw.headers.Add("Authorization", "Bearer wrong");
  EXPECT_FALSE(reader_.Verify(raw));
  HttpRequest twice = Fixture("mime_solo_html_utf8_base64.eml");
  twice.headers.Add("Authorization", std::string("Bearer ") + kRawToken);
  EXPECT_FALSE(reader_.Verify(twice)) << "two Authorization headers";
  HttpRequest basic = Fixture("mime_solo_html_utf8_base64.eml");
  basic.headers = Headers();
  basic.headers.Add("Authorization", "Basic " + crypto::Base64Encode(std::string("mta:") + kRawToken));
  EXPECT_TRUE(reader_.Verify(basic)) << "basic auth with the token as password also works";

  HttpRequest postmark = Fixture("postmark_inbound_reporte_con_foto.json");
  postmark.headers = Headers();
  postmark.headers.Add("Authorization",
                       "Basic " + crypto::Base64Encode(std::string("postmark:") + kSendgridToken));
  EXPECT_FALSE(reader_.Verify(postmark)) << "another provider's secret";

  HttpRequest sendgrid = Fixture("sendgrid_inbound_parse_iso8859.multipart");
  sendgrid.query = "token=nope";
  EXPECT_FALSE(reader_.Verify(sendgrid));
  sendgrid.query.clear();
  sendgrid.headers.Add("Authorization",
                       "Basic " + crypto::Base64Encode(std::string("sendgrid:") + kSendgridToken));
  EXPECT_TRUE(reader_.Verify(sendgrid));

  EmailConfig unset = TestConfig();
  unset.webhook_token.clear();
  EmailReader without_secret(unset, http_, clock_);
  HttpRequest empty = Fixture("mime_solo_html_utf8_base64.eml");
  empty.headers = Headers();
  empty.headers.Add("Authorization", "Bearer ");
  EXPECT_FALSE(without_secret.Verify(empty)) << "an unset secret matches nothing";
}

TEST_F(EmailChannelTest, MailgunSignaturesAreFreshAndExact) {
  const HttpRequest signed_form = Fixture("mailgun_route_forward_basura.form");
  ASSERT_TRUE(reader_.Verify(signed_form));

  HttpRequest tampered = signed_form;
  tampered.body.replace(tampered.body.find("timestamp=1773170000"), 20, "timestamp=1773170001");
  EXPECT_FALSE(reader_.Verify(tampered)) << "the timestamp is signed";

  HttpRequest other_token = signed_form;
  other_token.body.replace(other_token.body.find("token=7c1f"), 10, "token=8c1f");
  EXPECT_FALSE(reader_.Verify(other_token));

  HttpRequest repeated = signed_form;
  repeated.body += "&signature=78dfbbb548f5b05ec0b6b8b7b7b11da8c2ed40cf07f4f618673b70c2255e4c60";
  EXPECT_FALSE(reader_.Verify(repeated)) << "a repeated signature field";

  for (std::int64_t offset : {-400, 400}) {
    testing::FakeClock later(At(kMailgunSignedAt + offset));
    EmailReader reader(TestConfig(), http_, later);
    EXPECT_FALSE(reader.Verify(signed_form)) << "a timestamp " << offset << " s away";
  }
  // A clock up to 5 minutes off either way (ours or Mailgun's) still accepts a fresh signature.
  for (std::int64_t offset : {-299, -200, 200, 299}) {
    testing::FakeClock skewed(At(kMailgunSignedAt + offset));
    EXPECT_TRUE(EmailReader(TestConfig(), http_, skewed).Verify(signed_form))
        << "a timestamp " << offset << " s away";
  }
}

TEST_F(EmailChannelTest, SnsMessagesNeedAGoodSignatureFromAnSnsHostAndOurTopic) {
  const std::string fixture = testing::ReadTestdata("email", "ses_sns_notification_received.json");
  const std::string cert_url = sns_host_.BaseUrl() + "/cert.pem";
  HttpRequest request = Fixture("ses_sns_notification_received.json");

  request.body = signer_.Sign(fixture, cert_url, "", "1");
  EXPECT_TRUE(reader_.Verify(request)) << "SignatureVersion 1 (SHA1withRSA) too";

  request.body = fixture;
  EXPECT_EQ(reader_.Verify(request).error().code, Errc::kUnauthenticated) << "the placeholder";

  std::string tampered = signer_.Sign(fixture, cert_url);
  tampered.replace(tampered.find("mzt-correo-entrante"), 3, "xyz");
  request.body = tampered;
  EXPECT_FALSE(reader_.Verify(request)) << "a changed TopicArn";

  testing::SnsSigner stranger;
  request.body = stranger.Sign(fixture, cert_url);
  EXPECT_FALSE(reader_.Verify(request)) << "signed by another key than the certificate's";

  request.body = signer_.Sign(fixture, "http://169.254.169.254/cert.pem");
  EXPECT_FALSE(reader_.Verify(request)) << "a certificate from a host that is not SNS's";

  EmailConfig strict = TestConfig();
  strict.allow_insecure_sns_urls = false;
  EmailReader https_only(strict, http_, clock_);
  request.body = signer_.Sign(fixture, cert_url);
  EXPECT_FALSE(https_only.Verify(request)) << "plain http without the test allowance";

  EmailConfig other_topic = TestConfig();
  other_topic.ses_topic_arn = "arn:aws:sns:us-east-1:123456789012:otro";
  EXPECT_EQ(EmailReader(other_topic, http_, clock_).Verify(request).error().code,
            Errc::kPermissionDenied);

  EXPECT_TRUE(reader_.sns().IsTrustedUrl(sns_host_.BaseUrl() + "/x"));
  EmailConfig real = TestConfig();
  real.sns_cert_host_pattern = EmailConfig().sns_cert_host_pattern;
  real.allow_insecure_sns_urls = false;
  EmailReader production(real, http_, clock_);
  EXPECT_TRUE(production.sns().IsTrustedUrl(
      "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem"));
  for (const char* url : {"http://sns.us-east-1.amazonaws.com/a.pem",
                          "https://sns.us-east-1.amazonaws.com.evil.example/a.pem",
                          "https://evil.example/sns.us-east-1.amazonaws.com/a.pem",
                          "https://user@sns.us-east-1.amazonaws.com/a.pem", "not a url"}) {
    EXPECT_FALSE(production.sns().IsTrustedUrl(url)) << url;
  }
}

TEST_F(EmailChannelTest, MalformedAndOversizedMailIsRefused) {
  HttpRequest request = Fixture("mime_solo_html_utf8_base64.eml");
  request.body = "";
  EXPECT_FALSE(reader_.Read(request));
  request.body = "esto no es un correo";
  auto read = reader_.Read(request);
  ASSERT_FALSE(read);
  EXPECT_FALSE(IsOverLimits(read.error()));

  std::string bomb = "From: a@correo.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 1000; ++i) bomb += "--b\r\n\r\n";
  request.body = bomb + "--b--\r\n";
  read = reader_.Read(request);
  ASSERT_FALSE(read);
  EXPECT_TRUE(IsOverLimits(read.error())) << read.error().message;

  HttpRequest postmark = Fixture("postmark_inbound_reporte_con_foto.json");
  postmark.body = R"({"From":"a@correo.example","Attachments":[{"Name":"x","Content":"%%%"}]})";
  EXPECT_FALSE(reader_.Read(postmark));
  postmark.body = "[1,2]";
  EXPECT_FALSE(reader_.Read(postmark));

  HttpRequest sendgrid = Fixture("sendgrid_inbound_parse_iso8859.multipart");
  sendgrid.headers = Headers();
  sendgrid.headers.Add("Content-Type", "multipart/form-data; boundary=otra");
  EXPECT_FALSE(reader_.Read(sendgrid)) << "a boundary the body does not use";

  EXPECT_FALSE(reader_.AcceptsMediaType(kPostmarkPath, "multipart/form-data"));
  EXPECT_FALSE(reader_.AcceptsMediaType(kRawPath, "text/plain"));
  EXPECT_TRUE(reader_.AcceptsMediaType(kSesPath, "text/plain"));
  EXPECT_EQ(reader_.MaxBodyBytes(kRawPath), 25u * 1024 * 1024);
}

TEST_F(EmailChannelTest, WhatAProviderSaysNeverCarriesNulIntoTheInbox) {
  HttpRequest postmark = Fixture("postmark_inbound_reporte_con_foto.json");
  postmark.body =
      R"({"From":"a@correo.example","FromName":"Ana\u0000","MessageID":"p\u0000m","Subject":"Bache\u0000",)"
      R"("TextBody":"hay\u0000 un bache","Attachments":[{"Name":"f\u0000.png","ContentType":"image/png\u0000;x",)"
      R"("Content":"iVBORw0KGgo="}]})";
  auto read = reader_.Read(postmark);
  ASSERT_TRUE(read) << read.error().message;
  const InboundMessage& m = OnlyMessage(*read);
  EXPECT_THAT(m.external_id, StartsWith("sha256:")) << "no Message-ID, and Postmark's id is not clean";
  for (const std::string* text : {&m.text, &m.sender_name, &m.external_id, &m.media.at(0).mime_type,
                                  &m.media.at(0).filename}) {
    EXPECT_EQ(text->find('\0'), std::string::npos) << *text;
  }
  EXPECT_EQ(m.media.at(0).mime_type, "image/png") << "its bytes are a PNG, whatever it said";
  EXPECT_EQ(m.text, "Bache\n\nhay un bache");
}

// ASVS 5.2.2: a "photo" attached to a mail is kept as what its bytes are.
TEST_F(EmailChannelTest, AnAttachmentThatSaysItIsAPhotoButIsNotIsKeptAsADownload) {
  HttpRequest postmark = Fixture("postmark_inbound_reporte_con_foto.json");
  postmark.body =
      R"({"From":"a@correo.example","FromName":"Ana","MessageID":"p-1","Subject":"Bache",)"
      R"("TextBody":"hay un bache","Attachments":[{"Name":"foto.jpg","ContentType":"image/jpeg",)"
      R"("Content":"PGh0bWw+PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0PjwvaHRtbD4="}]})";
  auto read = reader_.Read(postmark);
  ASSERT_TRUE(read) << read.error().message;
  const InboundMessage& m = OnlyMessage(*read);
  ASSERT_EQ(m.media.size(), 1u);
  EXPECT_EQ(m.media[0].mime_type, "application/octet-stream");
  EXPECT_EQ(m.media[0].kind, MessageType::kDocument) << "not a photo: never shown inline";
}

// --- Sending -------------------------------------------------------------------------------------

OutboundMessage Reply() {
  OutboundMessage message;
  message.outbox_id = 41;
  message.channel = "email";
  message.recipient = "martha.pena@correo.example";
  message.text = "Registramos tu petición con el folio 2026-000123.\nTe avisaremos cómo avanza.";
  message.in_reply_to = "DM6PR02MB4567A1B2C3D4E5F6@DM6PR02MB4567.namprd02.prod.outlook.example";
  message.folio = "2026-000123";
  return message;
}

TEST_F(EmailChannelTest, RepliesGoThroughTheRelayThreadedWithTheFolioInTheSubject) {
  testing::FakeSmtpServer relay;
  EmailChannel channel(TestConfig(relay.Url()), http_, clock_);
  const SendOutcome outcome = channel.Send(Reply());
  ASSERT_EQ(outcome.kind, SendOutcome::Kind::kSent) << outcome.error;
  EXPECT_THAT(outcome.provider_message_id, ::testing::MatchesRegex("sac\\.41\\.[a-z0-9]+@municipio\\.example"));
  const auto mails = relay.WaitForMails(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].mail_from, "atencion-ciudadana@municipio.example");
  EXPECT_EQ(mails[0].rcpt_to, std::vector<std::string>{"martha.pena@correo.example"});
  const std::string& data = mails[0].data;
  EXPECT_THAT(data, HasSubstr("\r\nSubject: Re: Folio 2026-000123 - =?UTF-8?B?"));
  EXPECT_THAT(data, HasSubstr("\r\nMessage-ID: <" + outcome.provider_message_id + ">\r\n"));
  EXPECT_THAT(data, HasSubstr("\r\nIn-Reply-To: <" + Reply().in_reply_to + ">\r\n"));
  EXPECT_THAT(data, HasSubstr("\r\nReferences: <" + Reply().in_reply_to + ">\r\n"));
  EXPECT_THAT(data, HasSubstr("\r\nAuto-Submitted: auto-replied\r\n"));
  EXPECT_THAT(data, HasSubstr("\r\nTo: <martha.pena@correo.example>\r\n"));
  EXPECT_THAT(data, HasSubstr("Content-Type: text/plain; charset=utf-8"));
  EXPECT_THAT(data, HasSubstr("Registramos tu petici=C3=B3n con el folio 2026-000123."));
  EXPECT_THAT(data, StartsWith("Date: "));
}

TEST_F(EmailChannelTest, EveryAttemptAtOneOutboxRowIsTheSameMessage) {
  testing::FakeSmtpServer relay;
  EmailChannel channel(TestConfig(relay.Url()), http_, clock_);
  OutboundMessage message = Reply();
  message.idempotency_key = "4f0c2a9e81b34d7aa1c05e2f9b7d6c31";
  const SendOutcome first = channel.Send(message);
  const SendOutcome again = channel.Send(message);  // after a crash before the commit
  ASSERT_EQ(first.kind, SendOutcome::Kind::kSent) << first.error;
  EXPECT_EQ(first.provider_message_id,
            "sac.41.4f0c2a9e81b34d7aa1c05e2f9b7d6c31@municipio.example");
  EXPECT_EQ(again.provider_message_id, first.provider_message_id)
      << "mail programs show one message for one Message-ID";
  message.idempotency_key = "short";
  EXPECT_NE(channel.Send(message).provider_message_id, first.provider_message_id)
      << "a key too short to be unguessable is replaced by a random one";
}

TEST_F(EmailChannelTest, ClassifiesWhatTheRelaySays) {
  struct Case {
    const char* label;
    const char* rcpt;
    const char* data;
    SendOutcome::Kind kind;
    bool blocked = false;
  };
  const Case cases[] = {
      {"unknown mailbox", "550 5.1.1 <x>: Recipient address rejected", "250 Ok",
       SendOutcome::Kind::kPermanent, true},
      {"greylisted", "450 4.2.0 Greylisted, try later", "250 Ok", SendOutcome::Kind::kRetryable},
      {"queue full", "250 Ok", "452 4.3.1 Insufficient system storage", SendOutcome::Kind::kRetryable},
      {"content refused", "250 Ok", "554 5.7.1 Message rejected", SendOutcome::Kind::kPermanent},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.label);
    testing::FakeSmtpServer relay;
    relay.ReplyToRcpt(c.rcpt);
    relay.ReplyToData(c.data);
    EmailChannel channel(TestConfig(relay.Url()), http_, clock_);
    const SendOutcome outcome = channel.Send(Reply());
    EXPECT_EQ(outcome.kind, c.kind) << outcome.error;
    EXPECT_EQ(outcome.recipient_blocked, c.blocked);
    EXPECT_THAT(outcome.error, Not(HasSubstr("martha"))) << "no address in what is logged";
  }
  // Nobody listening (port 9 is discard, closed here): try again later.
  EmailChannel nowhere(TestConfig("smtp://127.0.0.1:9"), http_, clock_);
  EXPECT_EQ(nowhere.Send(Reply()).kind, SendOutcome::Kind::kRetryable);
}

TEST_F(EmailChannelTest, NoHeaderCanBeInjectedThroughTheRecipientOrTheText) {
  testing::FakeSmtpServer relay;
  EmailChannel channel(TestConfig(relay.Url()), http_, clock_);
  OutboundMessage injected = Reply();
  injected.recipient = "martha.pena@correo.example\r\nBcc: x@evil.example";
  const SendOutcome refused = channel.Send(injected);
  EXPECT_EQ(refused.kind, SendOutcome::Kind::kPermanent);
  EXPECT_TRUE(relay.Mails().empty());

  injected = Reply();
  injected.in_reply_to = "a@b>\r\nBcc: x@evil.example";
  injected.text = "hola\r\nBcc: x@evil.example\r\n.\r\nRCPT TO:<x@evil.example>";
  ASSERT_EQ(channel.Send(injected).kind, SendOutcome::Kind::kSent);
  const auto mails = relay.WaitForMails(1);
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].rcpt_to.size(), 1u);
  const std::string headers = mails[0].data.substr(0, mails[0].data.find("\r\n\r\n"));
  EXPECT_THAT(headers, Not(HasSubstr("Bcc"))) << headers;
  EXPECT_THAT(headers, Not(HasSubstr("In-Reply-To"))) << "an id that is not a Message-ID is dropped";
}

}  // namespace
}  // namespace sac::channels::email
