// E-mail through a real `sac serve` App: HTTP on a loopback port, PostgreSQL, the pipeline, the
// outbox, and a fake SMTP relay receiving the replies (a fake SNS host serves the certificate the
// SNS fixtures are re-signed with). Each fixture of ../shared/fixtures/channels/email, in a fresh
// database, becomes the boleta, the note on an existing boleta, the delivery failure or the
// nothing its README says; bad input is refused and writes nothing.
#include "app/app.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <functional>
#include <set>
#include <thread>

#include "crypto/digest.h"
#include "http/curl_client.h"
#include "routing/dependencias.h"
#include "storage/database.h"
#include "tests/support/fake_provider.h"
#include "tests/support/fake_smtp_server.h"
#include "tests/support/sns_signer.h"
#include "tests/support/served_app.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::app {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestDatabase;
using namespace std::chrono_literals;

constexpr const char* kRawToken = "mzt-test-email-webhook-token";
constexpr const char* kPostmarkToken = "mzt-test-postmark-token";
constexpr const char* kSendgridToken = "mzt-test-sendgrid-token";
constexpr const char* kMailgunKey = "mzt-test-mailgun-signing-key";
constexpr const char* kTopic = "arn:aws:sns:us-east-1:123456789012:mzt-correo-entrante";

// Members are public: the fixture table's checks read them.
class EmailServeTest : public ::testing::Test {
 public:
  EmailServeTest()
      : sns_host_({{"GET", "/cert.pem", HttpResponse::Text(200, signer_.CertificatePem())},
                   {"GET", "/confirm", HttpResponse::Text(200, "<ConfirmSubscriptionResponse/>")}}) {}

  Config MakeConfig() {
    Config config;
    config.rules_dir = (testing::SourceDir() / "rules").string();
    config.http.port = 0;
    config.http.handler_threads = 4;
    config.database.url = db_.url();
    config.pipeline.poll_interval = 100ms;
    config.outbox.poll_interval = 100ms;
    config.media.dir = media_dir_.string();
    EmailConfig& email = config.channels.email;
    email.enabled = true;
    email.from_address = "atencion-ciudadana@municipio.example";
    email.smtp_url = relay_.Url();
    email.send_timeout = 5000ms;
    email.raw_webhook = email.postmark = email.mailgun = email.sendgrid = email.ses = true;
    email.ses_topic_arn = kTopic;
    email.sns_cert_host_pattern = R"(127\.0\.0\.1)";
    email.allow_insecure_sns_urls = true;  // the fake SNS host speaks plain http
    email.webhook_token = kRawToken;
    email.postmark_token = kPostmarkToken;
    email.mailgun_signing_key = kMailgunKey;
    email.sendgrid_token = kSendgridToken;
    return config;
  }

  void SetUp() override {
    db_.SeedDependencias();
    auto served = testing::Serve(MakeConfig());
    ASSERT_TRUE(served.app);
    app_ = std::move(served.app);
    base_ = served.base_url;
  }

  void TearDown() override {
    if (app_) app_->Stop();
    std::filesystem::remove_all(media_dir_);
  }

  ClientResponse Post(const std::string& target, const std::string& body,
                      std::vector<std::pair<std::string, std::string>> headers) {
    ClientRequest request;
    request.url = base_ + target;
    request.headers = std::move(headers);
    request.body = body;
    request.timeout = 20s;
    auto response = client_.Execute(request);
    EXPECT_TRUE(response) << response.error().message;
    return response ? *response : ClientResponse{};
  }

  ClientResponse Get(const std::string& target) { return testing::Get(client_, base_ + target); }

  ClientResponse PostRaw(const std::string& mime) {
    return Post("/webhooks/email", mime,
                {{"Content-Type", "message/rfc822"}, {"Authorization", std::string("Bearer ") + kRawToken}});
  }

  // Mailgun's fixture, signed again now (its own timestamp is months old: stale).
  std::string FreshMailgunForm() {
    std::string form = testing::ReadTestdata("email", "mailgun_route_forward_basura.form");
    const std::string now = std::to_string(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
    const std::string token = "7c1f4e9a2b6d8c0e3f5a7b9d1c3e5f7a9b1d3f5a7c9e1b3d5f";
    form.replace(form.find("timestamp=1773170000"), 20, "timestamp=" + now);
    const std::size_t signature = form.find("&signature=") + 11;  // not stripped-signature
    form.replace(signature, 64, crypto::HmacSha256Hex(kMailgunKey, now + token));
    return form;
  }

  // The fixture as its provider would post it.
  ClientResponse PostFixture(const std::string& file) {
    const std::string body = testing::ReadTestdata("email", file);
    if (file.ends_with(".eml")) return PostRaw(body);
    if (file.starts_with("postmark_")) {
      return Post("/webhooks/email/postmark", body,
                  {{"Content-Type", "application/json"},
                   {"Authorization",
                    "Basic " + crypto::Base64Encode(std::string("postmark:") + kPostmarkToken)}});
    }
    if (file.starts_with("mailgun_")) {
      return Post("/webhooks/email/mailgun", FreshMailgunForm(),
                  {{"Content-Type", "application/x-www-form-urlencoded"}});
    }
    if (file.starts_with("sendgrid_")) {
      return Post(std::string("/webhooks/email/sendgrid?token=") + kSendgridToken, body,
                  {{"Content-Type", "multipart/form-data; boundary=xYzZY"}});
    }
    const std::string subscribe = file.starts_with("sns_") ? sns_host_.BaseUrl() + "/confirm" : "";
    return Post("/webhooks/email/ses", signer_.Sign(body, sns_host_.BaseUrl() + "/cert.pem", subscribe),
                {{"Content-Type", "text/plain; charset=UTF-8"}});
  }

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

  // A boleta this citizen created earlier by mail, whose acknowledgement went out with
  // `our_message_id` (the fixtures quote Message-IDs of an earlier SAC): what a reply, an
  // out-of-office or a bounce refers to. Returns its folio.
  std::string EarlierBoleta(const std::string& from, const std::string& our_message_id) {
    const std::size_t mails = relay_.Mails().size();
    EXPECT_EQ(PostRaw("From: <" + from + ">\r\nSubject: Bache\r\nMessage-ID: <antes." + from +
                      ">\r\n\r\nHay un bache enorme en la calle Laureles de la colonia Juárez.\r\n")
                  .status,
              200);
    WaitUntilQuiet();
    relay_.WaitForMails(mails + 1);
    db_.Execute("UPDATE outbox SET provider_message_id = '" + our_message_id +
                "' WHERE id = (SELECT min(id) FROM outbox WHERE recipient = '" + from + "')");
    return db_.Scalar("SELECT folio FROM boleta ORDER BY id DESC LIMIT 1");
  }

  std::int64_t Rows(const std::string& table) { return db_.Count("SELECT count(*) FROM " + table); }

  // The reply the relay received for the newest outbox row, with its Message-ID recorded.
  std::string LastMailTo(const std::string& recipient) {
    WaitUntilQuiet();
    for (const auto& mail : relay_.WaitForMails(static_cast<std::size_t>(
             db_.Count("SELECT count(*) FROM outbox WHERE state = 'sent'")))) {
      if (!mail.rcpt_to.empty() && mail.rcpt_to[0] == recipient) last_ = mail.data;
    }
    return last_;
  }

  TestDatabase db_;
  const std::filesystem::path media_dir_ =
      std::filesystem::temp_directory_path() / ("sac_media_email_" + std::to_string(::getpid()));
  testing::FakeSmtpServer relay_;
  testing::SnsSigner signer_;
  testing::FakeProvider sns_host_;
  http::CurlHttpClient client_;
  std::unique_ptr<App> app_;
  std::string base_;
  std::string last_;
  std::int64_t outbox_before_ = 0;  // replies queued before the fixture was posted
};

// A new report: a boleta, and the acknowledgement by SMTP, threaded, with its folio.
void ExpectNewBoleta(EmailServeTest& t, const std::string& sender, const std::string& message_id) {
  EXPECT_EQ(t.db_.Count("SELECT count(*) FROM boleta WHERE channel = 'email'"), 1);
  const std::string folio = t.db_.Scalar("SELECT folio FROM boleta");
  const std::string mail = t.LastMailTo(sender);
  EXPECT_THAT(mail, HasSubstr("Subject: Re: Folio " + folio + " - ")) << mail;
  EXPECT_THAT(mail, HasSubstr("In-Reply-To: <" + message_id + ">"));
  EXPECT_THAT(mail, HasSubstr("Auto-Submitted: auto-replied"));
  const std::string ours = t.db_.Scalar(
      "SELECT provider_message_id FROM outbox WHERE purpose = 'acuse_boleta' AND state = 'sent'");
  EXPECT_THAT(mail, HasSubstr("Message-ID: <" + ours + ">")) << "recorded, so replies thread";
}

struct ServeCase {
  const char* file;
  std::function<void(EmailServeTest&)> before;
  std::function<void(EmailServeTest&)> check;
};

void PrintTo(const ServeCase& c, std::ostream* out) { *out << c.file; }

void Nothing(EmailServeTest&) {}

std::vector<ServeCase> ServeCases() {
  const auto reply_to_boleta = [](EmailServeTest& t) {
    t.EarlierBoleta("mg.osuna@correo.example", "boleta.MZT-2026-000123.2@municipio.example");
  };
  const auto note_on_boleta = [](EmailServeTest& t) {
    EXPECT_EQ(t.Rows("boleta"), 1) << "no new boleta";
    EXPECT_EQ(t.db_.Scalar("SELECT text FROM boleta_note WHERE author_kind = 'ciudadano'"),
              "Ya vinieron a revisar pero nada más pusieron un cono, la fuga sigue igual. "
              "¿Pueden volver a mandar a la cuadrilla?")
        << "only the new words: no quote, signature or footer";
    const std::string folio = t.db_.Scalar("SELECT folio FROM boleta");
    EXPECT_THAT(t.LastMailTo("mg.osuna@correo.example"),
                HasSubstr("In-Reply-To: <1A2B3C4D-5E6F-4789-ABCD-0123456789AB@correo.example>"));
    EXPECT_THAT(t.last_, HasSubstr("Folio " + folio));
  };
  return {
      {"mime_nuevo_reporte_iso8859_qp_con_html.eml", Nothing,
       [](EmailServeTest& t) {
         ExpectNewBoleta(t, "martha.pena@correo.example",
                         "DM6PR02MB4567A1B2C3D4E5F6@DM6PR02MB4567.namprd02.prod.outlook.example");
         EXPECT_THAT(t.db_.Scalar("SELECT text FROM boleta"), HasSubstr("camión de la basura"));
         EXPECT_EQ(t.db_.Scalar("SELECT categoria || ' ' || dependencia_id || ' ' || colonia FROM boleta"),
                   "basura_no_recolectada aseo_urbano INFONAVIT Playas");
       }},
      {"mime_solo_html_utf8_base64.eml", Nothing,
       [](EmailServeTest& t) {
         ExpectNewBoleta(t, "jr.zazueta@correo.example",
                         "CAF3k9x2Lq8mZ7hT4vB6nR1pW0sY5cD2eG8jK3oU7iM@mail.correo.example");
         EXPECT_EQ(t.db_.Scalar("SELECT dependencia_id FROM boleta"), "alumbrado_publico");
         EXPECT_THAT(t.db_.Scalar("SELECT text FROM boleta"), Not(HasSubstr("tracking")));
       }},
      {"mime_reporte_con_foto_adjunta_8bit.eml", Nothing,
       [](EmailServeTest& t) {
         ExpectNewBoleta(t, "jl.lizarraga@correo.example",
                         "b7e9c1a0-4f2d-4c3b-9e8a-7d6c5b4a3f21@correo.example");
         EXPECT_EQ(t.db_.Scalar("SELECT dependencia_id FROM boleta"), "jumapam");
         EXPECT_EQ(t.db_.Scalar("SELECT download_state || ' ' || kind || ' ' || filename || ' ' || "
                                "size_bytes FROM boleta_media"),
                   "stored image fuga_laureles.png 69")
             << "stored at intake: nothing to download";
         const std::string sha = t.db_.Scalar("SELECT file_sha256 FROM boleta_media");
         EXPECT_TRUE(std::filesystem::exists(t.media_dir_ / sha.substr(0, 2) / sha));
       }},
      {"mime_respuesta_hilo_con_cita_y_firma.eml", reply_to_boleta, note_on_boleta},
      {"mime_respuesta_automatica_fuera_de_oficina.eml",
       [](EmailServeTest& t) {
         t.EarlierBoleta("hm.rendon@empresa.example", "boleta.MZT-2026-000127.3@municipio.example");
       },
       [](EmailServeTest& t) {
         EXPECT_EQ(t.Rows("boleta"), 1) << "no boleta";
         EXPECT_EQ(t.Rows("outbox"), t.outbox_before_) << "no acknowledgement: answering robots loops";
         EXPECT_EQ(t.db_.Scalar("SELECT state FROM inbox ORDER BY id DESC LIMIT 1"), "ignored");
       }},
      {"mime_rebote_dsn_5_1_1.eml",
       [](EmailServeTest& t) {
         t.EarlierBoleta("vecino.inexistente@correo.example",
                         "boleta.MZT-2026-000125.1@municipio.example");
       },
       [](EmailServeTest& t) {
         EXPECT_EQ(t.Rows("boleta"), 1) << "no boleta";
         EXPECT_EQ(t.Rows("outbox"), t.outbox_before_) << "no reply to a bounce";
         EXPECT_EQ(t.db_.Scalar("SELECT delivery_status || ' ' || delivery_error FROM outbox WHERE "
                                "provider_message_id = 'boleta.MZT-2026-000125.1@municipio.example'"),
                   "failed 5.1.1 mailbox does not exist");
         EXPECT_EQ(t.db_.Count("SELECT count(*) FROM citizen_identity WHERE channel = 'email' AND "
                               "external_id = 'vecino.inexistente@correo.example' AND "
                               "blocked_at IS NOT NULL"),
                   1)
             << "the address is dead: nothing more is sent to it";
       }},
      {"postmark_inbound_reporte_con_foto.json", Nothing,
       [](EmailServeTest& t) {
         ExpectNewBoleta(t, "jl.lizarraga@correo.example",
                         "b7e9c1a0-4f2d-4c3b-9e8a-7d6c5b4a3f21@correo.example");
         EXPECT_EQ(t.db_.Scalar("SELECT download_state FROM boleta_media"), "stored");
       }},
      {"postmark_inbound_respuesta_mailboxhash.json", reply_to_boleta, note_on_boleta},
      {"mailgun_route_forward_basura.form", Nothing,
       [](EmailServeTest& t) {
         ExpectNewBoleta(t, "martha.pena@correo.example",
                         "DM6PR02MB4567A1B2C3D4E5F6@DM6PR02MB4567.namprd02.prod.outlook.example");
         EXPECT_EQ(t.Rows("email_webhook_token"), 1);
       }},
      {"sendgrid_inbound_parse_iso8859.multipart", Nothing,
       [](EmailServeTest& t) {
         ExpectNewBoleta(t, "martha.pena@correo.example",
                         "3f2e1d0c-9b8a-4f7e-8d6c-5b4a3f2e1d0c@correo.example");
         EXPECT_THAT(t.db_.Scalar("SELECT text FROM boleta"), HasSubstr("colonia Juárez"));
       }},
      {"ses_sns_notification_received.json", Nothing,
       [](EmailServeTest& t) {
         ExpectNewBoleta(t, "martha.pena@correo.example",
                         "DM6PR02MB4567A1B2C3D4E5F6@DM6PR02MB4567.namprd02.prod.outlook.example");
       }},
      {"sns_subscription_confirmation.json", Nothing,
       [](EmailServeTest& t) {
         EXPECT_EQ(t.Rows("inbox"), 0);
         const auto visits = t.sns_host_.WaitForRequests(2);  // the certificate, then the URL
         bool confirmed = false;
         for (const HttpRequest& visit : visits) confirmed = confirmed || visit.path == "/confirm";
         EXPECT_TRUE(confirmed);
         EXPECT_EQ(t.db_.Count("SELECT count(*) FROM email_sns_subscription WHERE confirmed_at IS NOT NULL"),
                   1);
       }},
  };
}

TEST(EmailServeFixturesTest, EveryFixtureHasACase) {
  std::set<std::string> covered;
  for (const ServeCase& c : ServeCases()) covered.insert(c.file);
  for (const auto& entry :
       std::filesystem::directory_iterator(testing::SourceDir() / "channels/email/testdata")) {
    const std::string file = entry.path().filename().string();
    if (file == "README.md" || file == "signatures.txt") continue;
    EXPECT_TRUE(covered.contains(file)) << file << " is a fixture without a case";
  }
}

class EmailFixtureServeTest : public EmailServeTest,
                              public ::testing::WithParamInterface<ServeCase> {};

TEST_P(EmailFixtureServeTest, HasTheOutcomeItsReadmeDescribes) {
  const ServeCase& c = GetParam();
  c.before(*this);
  outbox_before_ = Rows("outbox");
  EXPECT_EQ(PostFixture(c.file).status, 200);
  WaitUntilQuiet();
  c.check(*this);
  // A redelivery changes nothing.
  const auto inbox = Rows("inbox");
  const auto boletas = Rows("boleta");
  const auto outbox = Rows("outbox");
  EXPECT_EQ(PostFixture(c.file).status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(Rows("inbox"), inbox);
  EXPECT_EQ(Rows("boleta"), boletas);
  EXPECT_EQ(Rows("outbox"), outbox);
}

// Test names are the fixtures' names, '.' made '_'.
std::string FixtureName(const ::testing::TestParamInfo<ServeCase>& param) {
  std::string name = param.param.file;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, EmailFixtureServeTest, ::testing::ValuesIn(ServeCases()),
                         FixtureName);

TEST_F(EmailServeTest, AFolioInThePlusAddressThreadsWithoutOurMessageId) {
  EarlierBoleta("mg.osuna@correo.example", "sac.1.otro@municipio.example");
  db_.Execute("UPDATE boleta SET folio = '2026-000123'");  // the folio the fixture names
  EXPECT_EQ(PostFixture("mime_respuesta_hilo_con_cita_y_firma.eml").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(Rows("boleta"), 1);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note WHERE author_kind = 'ciudadano'"), 1);
}

TEST_F(EmailServeTest, SomeoneElsesFolioIsNeverThreaded) {
  EarlierBoleta("otra.persona@correo.example", "sac.1.otro@municipio.example");
  db_.Execute("UPDATE boleta SET folio = '2026-000123'");
  EXPECT_EQ(PostFixture("mime_respuesta_hilo_con_cita_y_firma.eml").status, 200);
  WaitUntilQuiet();
  EXPECT_EQ(db_.Count("SELECT count(*) FROM boleta_note n JOIN boleta b ON b.id = n.boleta_id "
                      "WHERE b.folio = '2026-000123' AND n.author_kind = 'ciudadano'"),
            0)
      << "never a note on another citizen's boleta";
  EXPECT_EQ(db_.Scalar("SELECT state FROM inbox ORDER BY id DESC LIMIT 1"), "processed");
}

TEST_F(EmailServeTest, AMailgunTokenIsAcceptedOnce) {
  const std::string form = FreshMailgunForm();
  const std::vector<std::pair<std::string, std::string>> headers = {
      {"Content-Type", "application/x-www-form-urlencoded"}};
  EXPECT_EQ(Post("/webhooks/email/mailgun", form, headers).status, 200);
  EXPECT_EQ(Post("/webhooks/email/mailgun", form, headers).status, 200) << "Mailgun retrying";
  std::string replayed = form;
  replayed.replace(replayed.find("DM6PR02MB4567A1B2C3D4E5F6%40"), 6, "ATTACK");
  EXPECT_EQ(Post("/webhooks/email/mailgun", replayed, headers).status, 401)
      << "the same signature and token on another mail";
  EXPECT_EQ(Rows("inbox"), 1);
  EXPECT_EQ(Rows("webhook_request"), 1);
}

TEST_F(EmailServeTest, BadInputIsRefusedAndWritesNothing) {
  const std::string eml = testing::ReadTestdata("email", "mime_solo_html_utf8_base64.eml");
  const std::pair<std::string, std::string> bearer{"Authorization", std::string("Bearer ") + kRawToken};
  EXPECT_EQ(Post("/webhooks/email", eml, {{"Content-Type", "message/rfc822"}}).status, 401);
  EXPECT_EQ(Post("/webhooks/email", eml,
                 {{"Content-Type", "message/rfc822"}, {"Authorization", "Bearer otro"}})
                .status,
            401);
  EXPECT_EQ(Post("/webhooks/email", eml, {{"Content-Type", "application/json"}, bearer}).status, 415);
  EXPECT_EQ(Post("/webhooks/email", "no es un correo", {{"Content-Type", "message/rfc822"}, bearer}).status,
            400);
  EXPECT_EQ(Post("/webhooks/email", std::string(25 * 1024 * 1024 + 1, 'a'),
                 {{"Content-Type", "message/rfc822"}, bearer})
                .status,
            413);
  EXPECT_EQ(Post("/webhooks/email/postmark",
                 testing::ReadTestdata("email", "postmark_inbound_reporte_con_foto.json"),
                 {{"Content-Type", "application/json"}, {"Authorization", "Basic " + crypto::Base64Encode("p:x")}})
                .status,
            401);
  EXPECT_EQ(Post("/webhooks/email/mailgun",
                 testing::ReadTestdata("email", "mailgun_route_forward_basura.form"),
                 {{"Content-Type", "application/x-www-form-urlencoded"}})
                .status,
            401)
      << "the fixture's own timestamp is stale";
  EXPECT_EQ(Post("/webhooks/email/sendgrid",
                 testing::ReadTestdata("email", "sendgrid_inbound_parse_iso8859.multipart"),
                 {{"Content-Type", "multipart/form-data; boundary=xYzZY"}})
                .status,
            401);
  EXPECT_EQ(Post("/webhooks/email/ses",
                 testing::ReadTestdata("email", "ses_sns_notification_received.json"),
                 {{"Content-Type", "text/plain"}})
                .status,
            401)
      << "the fixture's placeholder signature";
  std::string other_topic = testing::ReadTestdata("email", "ses_sns_notification_received.json");
  other_topic.replace(other_topic.find("mzt-correo-entrante"), 19, "otro-tema-de-correo");
  EXPECT_EQ(Post("/webhooks/email/ses", signer_.Sign(other_topic, sns_host_.BaseUrl() + "/cert.pem"),
                 {{"Content-Type", "text/plain"}})
                .status,
            403);
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox") + Rows("email_webhook_token") +
                Rows("email_quarantine"),
            0);
  EXPECT_TRUE(relay_.Mails().empty());
}

// Bad inputs #19 and #21 end to end: a mail without a Message-ID is keyed by its bytes, so its
// redelivery adds nothing; a mail with an unknown charset, broken encoded words and a 1 MB line
// without CRLF is read as well as it can be and stored, never refused.
TEST_F(EmailServeTest, MailWithoutMessageIdOrWithBrokenEncodingsIsStoredOnce) {
  const std::string no_id =
      "From: Vecina <vecina@correo.example>\r\nTo: atencion-ciudadana@municipio.example\r\n"
      "Subject: Bache\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
      "Hay un bache enorme en la calle Río Culiacán, colonia Centro.\r\n";
  EXPECT_EQ(PostRaw(no_id).status, 200);
  EXPECT_EQ(PostRaw(no_id).status, 200) << "a redelivery";
  EXPECT_EQ(Rows("inbox"), 1);
  EXPECT_EQ(db_.Scalar("SELECT left(dedupe_key, 7) FROM inbox"), "sha256:");

  const std::string broken =
      "From: Vecino <vecino@correo.example>\r\nTo: atencion-ciudadana@municipio.example\r\n"
      "Subject: =?x-inventado?Q?Fuga?= =?utf-8?B?no*es*base64?= de agua\r\n"
      "Message-ID: <roto-1@correo.example>\r\n"
      "Content-Type: text/plain; charset=x-charset-inventado\r\n\r\n"
      "Fuga de agua en la calle Sauce " + std::string(1024 * 1024, 'a');
  EXPECT_EQ(PostRaw(broken).status, 200);
  EXPECT_EQ(Rows("inbox"), 2);
  EXPECT_THAT(db_.Scalar("SELECT left(payload->>'text', 200) FROM inbox"
                         " WHERE dedupe_key = 'roto-1@correo.example'"),
              HasSubstr("Fuga de agua en la calle Sauce"));
  EXPECT_EQ(Rows("email_quarantine"), 0);
}

// A MIME bomb from an authenticated sender is not refused (the provider would retry it for days
// and then drop it): it is kept as it came for a person, once however often it comes, and
// acknowledged; nothing of it reaches the inbox.
TEST_F(EmailServeTest, MimeBombsAreKeptInQuarantineOnceAndAcknowledged) {
  const std::pair<std::string, std::string> bearer{"Authorization", std::string("Bearer ") + kRawToken};
  std::string bomb = "From: a@correo.example\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 100000; ++i) bomb += "--b\r\n\r\n";
  std::string deep = "From: a@correo.example\r\n";
  for (int i = 0; i < 1000; ++i) {
    deep += "Content-Type: multipart/mixed; boundary=d" + std::to_string(i) + "\r\n\r\n--d" +
            std::to_string(i) + "\r\n";
  }
  for (const std::string* mail : {&bomb, &deep, &bomb}) {
    const auto started = std::chrono::steady_clock::now();
    const auto answer = Post("/webhooks/email", *mail, {{"Content-Type", "message/rfc822"}, bearer});
    EXPECT_EQ(answer.status, 200);
    EXPECT_EQ(answer.body, "quarantined\n");
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  }
  EXPECT_EQ(Rows("email_quarantine"), 2) << "the second delivery of the same bytes adds nothing";
  EXPECT_EQ(db_.Scalar("SELECT string_agg(source || ' ' || size_bytes || ' ' ||"
                       "  (octet_length(body) = size_bytes)::text, ',' ORDER BY id)"
                       " FROM email_quarantine"),
            "webhook:raw " + std::to_string(bomb.size()) + " true,webhook:raw " +
                std::to_string(deep.size()) + " true");
  EXPECT_THAT(db_.Scalar("SELECT string_agg(reason, ',' ORDER BY id) FROM email_quarantine"),
              AllOf(HasSubstr("more than 100 parts"), HasSubstr("nested deeper than 10")));
  EXPECT_EQ(Rows("webhook_request") + Rows("inbox"), 0);
  EXPECT_THAT(Get("/metrics").body,
              HasSubstr("sac_webhooks_total{channel=\"email\",outcome=\"quarantined\"} 3"));
}

}  // namespace
}  // namespace sac::app
