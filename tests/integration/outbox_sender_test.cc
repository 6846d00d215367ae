// The outbox sender against a real PostgreSQL and a fake Graph API on loopback: replies are sent
// once, retried when the provider says so, given up on when retrying cannot help, and their
// delivery news only moves forward.
#include "outbox/sender.h"

#include <boost/json/parse.hpp>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "channels/whatsapp/whatsapp_channel.h"
#include "http/curl_client.h"
#include "observability/metrics.h"
#include "outbox/delivery_tracker.h"
#include "outbox/outbox_writer.h"
#include "tests/support/fake_clock.h"
#include "tests/support/fake_provider.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::outbox {
namespace {

using ::testing::HasSubstr;
using testing::TestDatabase;
using namespace std::chrono_literals;

constexpr const char* kSendPath = "/v21.0/110220330440550/messages";
constexpr const char* kProviderId = "wamid.HBgNNTIxNjY5MTIzNDUwMRUCABEYEjJGNzdBNEMxRTkwQjM1NkQ4OAA=";

class OutboxSenderTest : public ::testing::Test {
 protected:
  OutboxSenderTest()
      : graph_(kSendPath, HttpResponse::Json(200, testing::ReadTestdata(
                                                      "whatsapp", "outbound_send_response_ok.json"))),
        database_(db_.Settings()),
        channel_(Config(), http_),
        sender_(database_, {{"whatsapp", &channel_}}, Settings(), clock_, metrics_) {}

  WhatsAppConfig Config() {
    WhatsAppConfig config;
    config.enabled = true;
    config.phone_number_id = "110220330440550";
    config.api_base_url = graph_.BaseUrl() + "/v21.0";
    config.access_token = "token";
    config.send_timeout = 3000ms;
    return config;
  }

  static QueueSettings Settings() {
    QueueSettings settings;
    settings.max_attempts = 3;
    settings.retry_base = 5000ms;
    settings.retry_max = 60000ms;
    return settings;
  }

  // The citizen's last message reached us at `at`: WhatsApp's 24-hour window counts from it.
  void CitizenWrote(TimePoint at) {
    db_.Execute(
        "INSERT INTO citizen (id) OVERRIDING SYSTEM VALUE VALUES (1) ON CONFLICT DO NOTHING");
    db_.Execute("INSERT INTO citizen_identity (channel, external_id, citizen_id) "
                "VALUES ('whatsapp', '5216691234501', 1) ON CONFLICT DO NOTHING");
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch());
    db_.Execute("INSERT INTO conversation (channel, external_id, last_inbound_at) "
                "VALUES ('whatsapp', '5216691234501', to_timestamp(" +
                std::to_string(seconds.count()) +
                ")) ON CONFLICT (channel, external_id) DO UPDATE SET last_inbound_at = "
                "EXCLUDED.last_inbound_at");
  }

  void Enqueue(const std::string& body = "Registramos tu petición con el folio 2026-000001.",
               const std::string& purpose = "acuse_boleta") {
    CitizenWrote(clock_.Now());
    EnqueueWithoutWriting(body, purpose);
  }

  void EnqueueWithoutWriting(const std::string& body, const std::string& purpose,
                             TemplateParams params = {}, std::vector<ReplyButton> buttons = {}) {
    auto enqueued = database_.Transact([&](storage::Tx& tx) {
      NewReply reply;
      reply.channel = "whatsapp";
      reply.account_id = "110220330440550";
      reply.recipient = "5216691234501";
      reply.purpose = purpose;
      reply.body = body;
      reply.template_params = std::move(params);
      reply.buttons = std::move(buttons);
      reply.not_before = clock_.Now();
      EnqueueReply(tx, reply);
    });
    ASSERT_TRUE(enqueued) << enqueued.error().message;
  }

  bool RunOnce() {
    auto found = sender_.RunOnce();
    EXPECT_TRUE(found) << found.error().message;
    return found && *found;
  }

  void Apply(DeliveryState state, const char* id = kProviderId) {
    ApplyNews({"whatsapp", id, state, 1773340000, "", "", "", 0});
  }

  void ApplyNews(const DeliveryUpdate& update) {
    ASSERT_TRUE(database_.Transact(
        [&](storage::Tx& tx) { return ApplyDeliveryUpdate(tx, update, clock_.Now()); }));
  }

  // News naming the citizen, as WhatsApp's statuses do (`recipient_id`), at an unknown time.
  void ApplyNewsFor(DeliveryState state, const char* id = kProviderId) {
    ApplyNews({"whatsapp", id, state, 0, "", "", "5216691234501", 0});
  }

  std::string Row(const char* columns) {
    return db_.Scalar(std::string("SELECT ") + columns + " FROM outbox");
  }

  testing::FakeProvider graph_;
  TestDatabase db_;
  testing::FakeClock clock_;
  Metrics metrics_;
  storage::Database database_;
  http::CurlHttpClient http_;
  channels::whatsapp::WhatsAppChannel channel_;
  OutboxSender sender_;
};

TEST_F(OutboxSenderTest, SendsAndRecordsTheProvidersId) {
  Enqueue();
  EXPECT_TRUE(RunOnce());
  EXPECT_FALSE(RunOnce()) << "nothing else is due";
  ASSERT_EQ(graph_.Requests().size(), 1u);
  EXPECT_THAT(graph_.Requests()[0].body, HasSubstr("folio 2026-000001"));
  EXPECT_EQ(Row("state || ':' || attempts"), "sent:1");
  EXPECT_EQ(Row("provider_message_id"), kProviderId);
  EXPECT_EQ(Row("sent_at IS NOT NULL"), "t");
}

TEST_F(OutboxSenderTest, RetriesServerErrorsAfterABackoff) {
  graph_.Script(HttpResponse::Json(500, "{}"));
  Enqueue();
  EXPECT_TRUE(RunOnce());
  EXPECT_EQ(Row("state || ':' || attempts"), "pending:1");
  EXPECT_THAT(Row("last_error"), HasSubstr("500"));
  EXPECT_FALSE(RunOnce()) << "waits for the backoff";
  clock_.Advance(5001ms);
  EXPECT_TRUE(RunOnce());
  EXPECT_EQ(Row("state || ':' || attempts"), "sent:2");
  EXPECT_EQ(graph_.Requests().size(), 2u);
}

TEST_F(OutboxSenderTest, HonoursRetryAfter) {
  HttpResponse throttled = HttpResponse::Json(
      429, testing::ReadTestdata("whatsapp", "outbound_send_response_error_throttled.json"));
  throttled.headers.Add("Retry-After", "60");
  graph_.Script(throttled);
  Enqueue();
  EXPECT_TRUE(RunOnce());
  clock_.Advance(59s);
  EXPECT_FALSE(RunOnce()) << "Retry-After is longer than the backoff";
  clock_.Advance(2s);
  EXPECT_TRUE(RunOnce());
  EXPECT_EQ(Row("state"), "sent");
}

TEST_F(OutboxSenderTest, DoesNotRetryClientErrors) {
  graph_.Script(HttpResponse::Json(400, R"({"error":{"code":131030}})"));
  Enqueue();
  EXPECT_TRUE(RunOnce());
  clock_.Advance(1h);
  EXPECT_FALSE(RunOnce());
  EXPECT_EQ(Row("state || ':' || attempts"), "failed:1");
  EXPECT_THAT(Row("last_error"), HasSubstr("131030"));
  EXPECT_EQ(graph_.Requests().size(), 1u);
}

TEST_F(OutboxSenderTest, GivesUpAfterMaxAttempts) {
  for (int i = 0; i < 5; ++i) graph_.Script(HttpResponse::Json(503, "{}"));
  Enqueue();
  for (int i = 0; i < 5; ++i) {
    RunOnce();
    clock_.Advance(2min);
  }
  EXPECT_EQ(Row("state || ':' || attempts"), "failed:3");
  EXPECT_EQ(graph_.Requests().size(), 3u);
}

TEST_F(OutboxSenderTest, AReplyLeftSendingByADeadSenderGoesOutAfterItsLease) {
  clock_.Set(std::chrono::system_clock::now());
  Enqueue();
  db_.Execute("UPDATE outbox SET state = 'sending', attempts = 1, next_attempt_at = now() + interval '2 minutes'");
  EXPECT_FALSE(RunOnce()) << "still leased to the sender that died";
  clock_.Advance(3min);
  EXPECT_TRUE(RunOnce());
  EXPECT_EQ(Row("state || ':' || attempts"), "sent:2");
}

TEST_F(OutboxSenderTest, DeliveryNewsThatArrivesBeforeTheSendResultIsApplied) {
  Apply(DeliveryState::kDelivered);  // the provider was faster than our bookkeeping
  Enqueue();
  EXPECT_TRUE(RunOnce());
  EXPECT_EQ(Row("delivery_status"), "delivered");
}

TEST_F(OutboxSenderTest, DeliveryOnlyMovesForward) {
  Enqueue();
  RunOnce();
  Apply(DeliveryState::kRead);
  Apply(DeliveryState::kDelivered);  // out of order
  Apply(DeliveryState::kSent);
  EXPECT_EQ(Row("delivery_status"), "read");
  Apply(DeliveryState::kFailed);
  EXPECT_EQ(Row("delivery_status"), "read") << "read proves delivery";
}

TEST_F(OutboxSenderTest, AFailureAfterDeliveryIsRecordedWithItsError) {
  Enqueue();
  RunOnce();
  Apply(DeliveryState::kDelivered);
  ApplyNews({"whatsapp", kProviderId, DeliveryState::kFailed, 1773340001, "131047",
             "Re-engagement message", "", 0});
  EXPECT_EQ(Row("delivery_status"), "failed");
  EXPECT_EQ(Row("delivery_error"), "131047 Re-engagement message");
}

TEST_F(OutboxSenderTest, ARepeatedDeliveryEventIsRecordedOnce) {
  Enqueue();
  RunOnce();
  Apply(DeliveryState::kRead);
  Apply(DeliveryState::kRead);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM delivery_event"), 1);
}

// --- A send whose answer never came -------------------------------------------------------------

// The provider takes the message but answers only after the sender stopped waiting: the outcome is
// unknown, and sending again could make the citizen read it twice.
class UnknownSendTest : public OutboxSenderTest {
 protected:
  UnknownSendTest() : impatient_(ShortTimeout(), http_),
                      impatient_sender_(database_, {{"whatsapp", &impatient_}}, Settings(), clock_,
                                        metrics_) {}

  WhatsAppConfig ShortTimeout() {
    WhatsAppConfig config = Config();
    config.send_timeout = 800ms;
    return config;
  }

  // Sends the enqueued reply; the provider accepts it (kProviderId) but answers too late.
  void SendAndLoseTheAnswer() {
    graph_.ScriptLate(HttpResponse::Json(200, testing::ReadTestdata(
                                                  "whatsapp", "outbound_send_response_ok.json")),
                      2000ms);
    auto found = impatient_sender_.RunOnce();
    ASSERT_TRUE(found && *found);
  }

  channels::whatsapp::WhatsAppChannel impatient_;
  OutboxSender impatient_sender_;
};

TEST_F(UnknownSendTest, IsHeldAsUnknownAndNeverSentAgainByItself) {
  Enqueue();
  SendAndLoseTheAnswer();
  EXPECT_EQ(Row("state || ':' || attempts"), "unknown:1");
  EXPECT_THAT(Row("last_error"), HasSubstr("unknown"));
  clock_.Advance(1h);
  EXPECT_FALSE(RunOnce()) << "neither retried nor leased";
  clock_.Advance(24h);
  EXPECT_FALSE(RunOnce());
  EXPECT_EQ(graph_.Requests().size(), 1u);
  EXPECT_EQ(Row("provider_message_id IS NULL"), "t");
}

TEST_F(UnknownSendTest, NewsAboutTheCitizenSettlesItAsSent) {
  Enqueue();
  SendAndLoseTheAnswer();
  ApplyNewsFor(DeliveryState::kDelivered);
  EXPECT_EQ(Row("state || ':' || coalesce(delivery_status, '-')"), "sent:delivered");
  EXPECT_EQ(Row("provider_message_id"), kProviderId);
  EXPECT_EQ(Row("last_error IS NULL AND sent_at IS NOT NULL"), "t");
  ApplyNewsFor(DeliveryState::kRead);
  EXPECT_EQ(Row("delivery_status"), "read") << "later news finds it by id";
  EXPECT_EQ(db_.Count("SELECT count(*) FROM delivery_event WHERE recipient <> ''"), 0)
      << "who the news was for is kept only while it matches nothing";
}

TEST_F(UnknownSendTest, NewsThatCameBeforeTheSenderGaveUpSettlesItAtOnce) {
  ApplyNewsFor(DeliveryState::kSent);  // the provider's news was faster than its answer
  EXPECT_EQ(db_.Count("SELECT count(*) FROM delivery_event WHERE recipient <> ''"), 1);
  Enqueue();
  SendAndLoseTheAnswer();
  EXPECT_EQ(Row("state || ':' || coalesce(delivery_status, '-')"), "sent:sent");
  EXPECT_EQ(Row("provider_message_id"), kProviderId);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM delivery_event WHERE recipient <> ''"), 0);
}

// A long reply that went as several messages (an SMS, Telegram) is recorded with its earlier
// pieces' ids: news about one of them is about that reply, never taken for the unknown send's.
TEST_F(UnknownSendTest, NewsAboutAPieceOfAnotherReplySettlesNothing) {
  Enqueue();
  SendAndLoseTheAnswer();
  db_.Execute("INSERT INTO outbox (channel, recipient, purpose, body, state, provider_message_id)"
              " VALUES ('whatsapp', '5216691234501', 'respuesta_staff', 'larga', 'sent', 'wamid.ULTIMA')");
  ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) {
    RecordEarlierPieces(tx, "whatsapp", 2, {"wamid.PRIMERA", "wamid.\"rara\\"});
  }));
  ApplyNewsFor(DeliveryState::kDelivered, "wamid.PRIMERA");
  ApplyNewsFor(DeliveryState::kDelivered, "wamid.\"rara\\");
  EXPECT_EQ(db_.Scalar("SELECT state FROM outbox WHERE id = 1"), "unknown");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM outbox_piece WHERE outbox_id = 2"), 2);
  EXPECT_EQ(db_.Count("SELECT count(*) FROM delivery_event WHERE recipient <> ''"), 0)
      << "news of a known reply keeps no recipient";
}

TEST_F(UnknownSendTest, NewsThatCouldBeAnotherRepliesIsLeftToStaff) {
  Enqueue("Primera respuesta.", "respuesta_staff");
  SendAndLoseTheAnswer();
  Enqueue("Segunda respuesta.", "pregunta_staff");
  SendAndLoseTheAnswer();
  ApplyNewsFor(DeliveryState::kDelivered);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(state, ',' ORDER BY id) FROM outbox"), "unknown,unknown")
      << "two sends to the same citizen are unknown: the news could be either";
  // News dated an hour before a reply existed is not about it.
  db_.Execute("DELETE FROM outbox WHERE id = (SELECT max(id) FROM outbox)");
  const auto an_hour_ago = std::chrono::duration_cast<std::chrono::seconds>(
      (std::chrono::system_clock::now() - 1h).time_since_epoch());
  ApplyNews({"whatsapp", "wamid.otro", DeliveryState::kDelivered, an_hour_ago.count(), "", "",
             "5216691234501", 0});
  EXPECT_EQ(Row("state"), "unknown");
  ApplyNewsFor(DeliveryState::kRead);
  EXPECT_EQ(Row("state || ':' || delivery_status"), "sent:read") << "now it is the only one";
}

// --- The 24-hour window -------------------------------------------------------------------------

class OutboxWindowTest : public OutboxSenderTest {
 protected:
  OutboxWindowTest() : sender_with_templates_(database_, {{"whatsapp", &templated_}}, Settings(),
                                              clock_, metrics_, Outbound()) {}

  WhatsAppConfig TemplatedConfig() {
    WhatsAppConfig config = Config();
    config.templates["aviso_atender"] = {"aviso_reporte_atendido", "es_MX", {"folio", "dependencia"}};
    return config;
  }

  static OutboundConfig Outbound() {
    OutboundConfig outbound;
    outbound.window_margin = 30min;
    return outbound;
  }

  void Notice() {
    EnqueueWithoutWriting("Tu reporte 2026-000001 fue atendido por JUMAPAM.", "aviso_atender",
                          {{"folio", "2026-000001"}, {"dependencia", "JUMAPAM"}});
  }

  std::string SentType() {
    const auto requests = graph_.Requests();
    if (requests.empty()) return "nothing";
    return std::string(boost::json::parse(requests.back().body).at("type").as_string());
  }

  bool Send() {
    auto found = sender_with_templates_.RunOnce();
    EXPECT_TRUE(found) << found.error().message;
    return found && *found;
  }

  channels::whatsapp::WhatsAppChannel templated_{TemplatedConfig(), http_};
  OutboxSender sender_with_templates_;
};

TEST_F(OutboxWindowTest, InsideTheWindowFreeTextGoes) {
  CitizenWrote(clock_.Now() - 23h);
  Notice();
  EXPECT_TRUE(Send());
  EXPECT_EQ(SentType(), "text");
  EXPECT_EQ(Row("state"), "sent");
}

TEST_F(OutboxWindowTest, NearTheEdgeTheMarginPicksTheTemplate) {
  CitizenWrote(clock_.Now() - 23h - 45min);  // 15 minutes left: a slow delivery would miss it
  Notice();
  EXPECT_TRUE(Send());
  EXPECT_EQ(SentType(), "template");
}

TEST_F(OutboxWindowTest, AfterTwentyFourHoursTheApprovedTemplateGoesWithTheNoticesValues) {
  CitizenWrote(clock_.Now() - 25h);
  Notice();
  EXPECT_TRUE(Send());
  ASSERT_EQ(SentType(), "template");
  const auto sent = boost::json::parse(graph_.Requests().back().body);
  EXPECT_EQ(sent.at("template").at("name").as_string(), "aviso_reporte_atendido");
  const auto& parameters = sent.at("template").at("components").at(0).at("parameters").as_array();
  ASSERT_EQ(parameters.size(), 2u);
  EXPECT_EQ(parameters[0].at("text").as_string(), "2026-000001");
  EXPECT_EQ(parameters[1].at("text").as_string(), "JUMAPAM");
  EXPECT_EQ(Row("state"), "sent");
}

TEST_F(OutboxWindowTest, AfterTwentyFourHoursWithoutATemplateItFailsWithoutSending) {
  CitizenWrote(clock_.Now() - 25h);
  EnqueueWithoutWriting("Tu folio 2026-000001 está programado.", "aviso_programar");
  EXPECT_TRUE(Send());
  EXPECT_EQ(SentType(), "nothing") << "Meta would accept it and fail it later (131047)";
  EXPECT_EQ(Row("state"), "failed");
  EXPECT_THAT(Row("last_error"), HasSubstr("no approved template for 'aviso_programar'"));
}

TEST_F(OutboxWindowTest, ACitizenWhoNeverWroteIsOutsideTheWindow) {
  Notice();
  EXPECT_TRUE(Send());
  EXPECT_EQ(SentType(), "template");
}

TEST_F(OutboxWindowTest, TheSurveysButtonsAreStoredWithTheRowAndSentAsReplyButtons) {
  CitizenWrote(clock_.Now() - 1h);
  EnqueueWithoutWriting("¿Quedó resuelto?", "encuesta", {{"folio", "2026-000001"}},
                        {{"ENCUESTA|2026-000001|SI", "Sí, quedó"}, {"ENCUESTA|2026-000001|NO", "No quedó"}});
  EXPECT_TRUE(Send());
  ASSERT_EQ(SentType(), "interactive");
  const auto sent = boost::json::parse(graph_.Requests().back().body);
  const auto& buttons = sent.at("interactive").at("action").at("buttons").as_array();
  ASSERT_EQ(buttons.size(), 2u);
  EXPECT_EQ(buttons[1].at("reply").at("id").as_string(), "ENCUESTA|2026-000001|NO");
}

// --- Retries, rate limits ------------------------------------------------------------------------

TEST_F(OutboxSenderTest, BackoffIsJitteredButNeverShorterThanThreeQuartersOrLongerThanItsStep) {
  std::set<std::string> waits;
  for (int i = 0; i < 6; ++i) {
    graph_.Script(HttpResponse::Json(503, "{}"));
    Enqueue("respuesta " + std::to_string(i));
  }
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(RunOnce());
  const std::string spread = db_.Scalar(
      "SELECT min(extract(epoch FROM next_attempt_at - updated_at)) || ' ' ||"
      "  max(extract(epoch FROM next_attempt_at - updated_at)) || ' ' ||"
      "  count(DISTINCT next_attempt_at - updated_at) FROM outbox WHERE state = 'pending'");
  std::istringstream in(spread);
  double shortest = 0, longest = 0;
  int distinct = 0;
  in >> shortest >> longest >> distinct;
  EXPECT_GE(shortest, 3.75);  // the first retry waits 5 s, less at most a quarter
  EXPECT_LE(longest, 5.0);
  EXPECT_GT(distinct, 1) << "six replies failing together do not come back together";
}

}  // namespace
}  // namespace sac::outbox
