// The outbox sender against a real PostgreSQL and a fake Graph API on loopback: replies are sent
// once, retried when the provider says so, given up on when retrying cannot help, and their
// delivery news only moves forward.
#include "outbox/sender.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

  void Enqueue(const std::string& body = "Registramos tu petición con el folio 2026-000001.") {
    auto enqueued = database_.Transact([&](storage::Tx& tx) {
      NewReply reply;
      reply.channel = "whatsapp";
      reply.account_id = "110220330440550";
      reply.recipient = "5216691234501";
      reply.purpose = "acuse_boleta";
      reply.body = body;
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
    ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) {
      return ApplyDeliveryUpdate(tx, {"whatsapp", id, state, 1773340000, "", "", "", 0});
    }));
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
  Enqueue();
  db_.Execute("UPDATE outbox SET state = 'sending', attempts = 1, next_attempt_at = now() + interval '2 minutes'");
  clock_.Set(std::chrono::system_clock::now());
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
  ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) {
    return ApplyDeliveryUpdate(tx, {"whatsapp", kProviderId, DeliveryState::kFailed, 1773340001,
                                    "131047", "Re-engagement message", "", 0});
  }));
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

}  // namespace
}  // namespace sac::outbox
