// The durable half of a webhook: raw request and inbox rows in one transaction, deduplicated by
// the provider's ids under a UNIQUE constraint.
#include "intake/inbox_writer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "channels/whatsapp/payloads.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"

namespace sac::intake {
namespace {

using testing::TestDatabase;
using namespace std::string_literals;

ParsedWebhook Fixture(const std::string& file) {
  return *channels::whatsapp::ParseWebhook(testing::ReadTestdata("whatsapp", file), "");
}

// The fixture's text message under a message id of its own.
ParsedWebhook MessageWithId(const std::string& id) {
  static const ParsedWebhook base = Fixture("text_fuga_agua_colonia_juarez.json");
  ParsedWebhook parsed = base;
  parsed.messages[0].external_id = id;
  return parsed;
}

// Holds a SHARE lock on the inbox from a connection of its own, so that commits queue behind it.
class InboxLockHolder {
 public:
  explicit InboxLockHolder(TestDatabase& db) : database_(db.Settings(1)) {
    thread_ = std::thread([this] {
      ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) {
        tx.Exec({"test.lock_inbox", "LOCK TABLE inbox IN SHARE MODE"});
        while (!release_) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }));
    });
    while (db.Count("SELECT count(*) FROM pg_locks WHERE relation = 'inbox'::regclass AND granted") == 0) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ~InboxLockHolder() { Release(); }
  void Release() {
    release_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  storage::Database database_;
  std::atomic<bool> release_{false};
  std::thread thread_;
};

void WaitForABlockedCommit(TestDatabase& db) {
  while (db.Count("SELECT count(*) FROM pg_locks WHERE relation = 'inbox'::regclass AND NOT granted") == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

TEST(InboxWriterTest, StoresTheRawRequestAndOneRowPerItem) {
  TestDatabase db;
  storage::Database database(db.Settings());
  SystemClock clock;
  InboxWriter writer(database, clock);
  ParsedWebhook parsed = Fixture("text_fuga_agua_colonia_juarez.json");
  const ParsedWebhook statuses = Fixture("status_read_no_ticket.json");
  parsed.updates = statuses.updates;
  const std::string raw = "raw bytes \xff\0 kept"s;

  auto stored = writer.Store("whatsapp", raw, parsed);
  ASSERT_TRUE(stored) << stored.error().message;
  EXPECT_EQ(stored->stored, 2);
  EXPECT_EQ(stored->duplicates, 0);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox WHERE state = 'pending'"), 2);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox WHERE kind = 'delivery'"), 1);
  EXPECT_EQ(db.Scalar("SELECT encode(body, 'hex') FROM webhook_request"),
            "72617720627974657320ff00206b657074");
  EXPECT_EQ(db.Scalar("SELECT payload->>'sender_phone' FROM inbox WHERE kind = 'message'"),
            "+526691234501");
}

TEST(InboxWriterTest, ARedeliveryWritesNothingAtAll) {
  TestDatabase db;
  storage::Database database(db.Settings());
  SystemClock clock;
  InboxWriter writer(database, clock);
  const ParsedWebhook parsed = Fixture("text_fuga_agua_colonia_juarez.json");
  ASSERT_TRUE(writer.Store("whatsapp", "first", parsed));
  auto again = writer.Store("whatsapp", "second", parsed);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->stored, 0);
  EXPECT_EQ(again->duplicates, 1);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 1);
  EXPECT_EQ(db.Count("SELECT count(*) FROM webhook_request"), 1);
}

TEST(InboxWriterTest, APartialRedeliveryStoresOnlyWhatIsNew) {
  TestDatabase db;
  storage::Database database(db.Settings());
  SystemClock clock;
  InboxWriter writer(database, clock);
  ASSERT_TRUE(writer.Store("whatsapp", "a", Fixture("text_fuga_agua_colonia_juarez.json")));
  ParsedWebhook both = Fixture("text_fuga_agua_colonia_juarez.json");
  both.messages.push_back(Fixture("audio_voice_note.json").messages[0]);
  auto stored = writer.Store("whatsapp", "b", both);
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->stored, 1);
  EXPECT_EQ(stored->duplicates, 1);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 2);
}

// Eight deliveries of one message, committed by four committers in transactions of their own.
TEST(InboxWriterTest, ConcurrentDeliveriesOfOneMessageStoreOneRow) {
  TestDatabase db;
  storage::Database database(db.Settings(8));
  SystemClock clock;
  InboxWriter writer(database, clock, nullptr, {.committers = 4});
  const ParsedWebhook parsed = Fixture("text_fuga_agua_colonia_juarez.json");
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (writer.Store("whatsapp", "raw", parsed)) {
        ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok, 8) << "every delivery is acknowledged";
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 1);
}

// Webhooks that arrive while a commit is in flight share the next one; a webhook the database
// refuses in such a group costs only its own answer. The first commit is held on a table lock so
// the others are sure to queue up behind it.
TEST(InboxWriterTest, WebhooksWaitingForACommitShareTheNextOneAndABadOneSpoilsOnlyItself) {
  TestDatabase db;
  storage::Database database(db.Settings(4));
  SystemClock clock;
  InboxWriter writer(database, clock);
  auto webhook = [&](int n, std::string text) {
    ParsedWebhook parsed = MessageWithId("wamid.group" + std::to_string(n));
    parsed.messages[0].text = std::move(text);
    return parsed;
  };
  constexpr int kQueued = 20;
  constexpr int kBad = 7;  // a NUL in its text: PostgreSQL's jsonb refuses it

  InboxLockHolder holder(db);
  std::vector<std::optional<Result<StoreSummary>>> answers(kQueued + 1);
  std::vector<std::thread> senders;
  senders.emplace_back([&] { answers[0] = writer.Store("whatsapp", "first", webhook(0, "primera")); });
  WaitForABlockedCommit(db);  // the first group waits on the lock
  for (int n = 1; n <= kQueued; ++n) {
    senders.emplace_back([&, n] {
      answers[n] = writer.Store("whatsapp", "raw " + std::to_string(n),
                                webhook(n, n == kBad ? "con \0 dentro"s : "otra fuga de agua"));
    });
  }
  while (writer.waiting() < kQueued) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  holder.Release();
  for (auto& sender : senders) sender.join();

  for (int n = 0; n <= kQueued; ++n) {
    ASSERT_TRUE(answers[n].has_value());
    if (n == kBad) {
      EXPECT_FALSE(*answers[n]) << "the webhook the database refused is not acknowledged";
    } else {
      ASSERT_TRUE(*answers[n]) << n << ": " << answers[n]->error().message;
      EXPECT_EQ((*answers[n])->stored, 1);
    }
  }
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), kQueued);
  EXPECT_EQ(db.Count("SELECT count(*) FROM webhook_request"), kQueued);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox WHERE dedupe_key = 'wamid.group7'"), 0);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox i JOIN webhook_request r ON r.id = i.request_id"),
            kQueued) << "every row points at its own raw request";
  // The first alone, then the twenty together, which failed and were retried one by one.
  EXPECT_EQ(writer.stats().webhooks, 1u + kQueued);
  EXPECT_EQ(writer.stats().groups, 2u + kQueued);
}

// Submit queues and returns; the answer comes from the committer, after the commit.
TEST(InboxWriterTest, SubmitReturnsAtOnceAndAnswersOnlyAfterTheCommit) {
  TestDatabase db;
  storage::Database database(db.Settings(2));
  SystemClock clock;
  InboxWriter writer(database, clock);
  InboxLockHolder holder(db);
  std::mutex mutex;
  std::condition_variable answered;
  std::optional<Result<StoreSummary>> answer;
  std::int64_t rows_seen_by_the_answer = -1;
  writer.Submit("whatsapp", "raw", Fixture("text_fuga_agua_colonia_juarez.json"),
                [&](Result<StoreSummary> stored) {
                  const auto rows = db.Count("SELECT count(*) FROM inbox");  // another connection
                  std::lock_guard lock(mutex);
                  rows_seen_by_the_answer = rows;
                  answer.emplace(std::move(stored));
                  answered.notify_one();
                });
  WaitForABlockedCommit(db);
  {
    std::lock_guard lock(mutex);
    EXPECT_FALSE(answer.has_value()) << "answered before its commit";
  }
  holder.Release();
  std::unique_lock lock(mutex);
  ASSERT_TRUE(answered.wait_for(lock, std::chrono::seconds(10), [&] { return answer.has_value(); }));
  ASSERT_TRUE(*answer) << (*answer).error().message;
  EXPECT_EQ((*answer)->stored, 1);
  EXPECT_EQ(rows_seen_by_the_answer, 1) << "the row is committed when the answer comes";
}

// Stopping (sac serve shutting down after its grace period) commits and answers what is still
// queued; a webhook that comes later is refused at once rather than left without an answer.
TEST(InboxWriterTest, StoppingCommitsWhatIsQueuedAndRefusesWhatComesAfter) {
  TestDatabase db;
  storage::Database database(db.Settings(2));
  SystemClock clock;
  InboxWriter writer(database, clock);
  InboxLockHolder holder(db);
  std::atomic<int> stored{0};
  for (int n = 0; n < 5; ++n) {
    writer.Submit("whatsapp", "raw", MessageWithId("wamid.stop" + std::to_string(n)),
                  [&](Result<StoreSummary> result) {
                    if (result && result->stored == 1) ++stored;
                  });
  }
  WaitForABlockedCommit(db);
  std::thread stopping([&] { writer.Stop(); });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  holder.Release();
  stopping.join();
  EXPECT_EQ(stored, 5);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 5);

  std::optional<Result<StoreSummary>> late;
  writer.Submit("whatsapp", "raw", MessageWithId("wamid.late"),
                [&](Result<StoreSummary> result) { late.emplace(std::move(result)); });
  ASSERT_TRUE(late.has_value()) << "answered at once";
  ASSERT_FALSE(*late);
  EXPECT_EQ(late->error().code, Errc::kUnavailable);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 5);
}

// A stalled database must not let waiting webhooks pile up in memory: past the queue's bound
// they are refused at once (503, the provider retries), and those already queued are stored.
TEST(InboxWriterTest, BeyondItsBoundTheQueueRefusesAtOnce) {
  TestDatabase db;
  storage::Database database(db.Settings(2));
  SystemClock clock;
  InboxWriter writer(database, clock, nullptr, {.max_queued = 3, .max_queued_bytes = 20});
  std::atomic<int> stored{0};
  // Submits webhook `n` with `body`; answers whether it was refused on the spot.
  const auto submit = [&](int n, std::string_view body) {
    auto answered_now = std::make_shared<std::atomic<bool>>(true);
    std::optional<Result<StoreSummary>> now;
    writer.Submit("whatsapp", body, MessageWithId("wamid.bound" + std::to_string(n)),
                  [&, answered_now](Result<StoreSummary> result) {
      if (*answered_now) now.emplace(result);
      if (result && result->stored == 1) ++stored;
    });
    *answered_now = false;
    return now.has_value() && !*now && now->error().code == Errc::kUnavailable;
  };
  InboxLockHolder holder(db);
  EXPECT_FALSE(submit(0, "in flight"));
  WaitForABlockedCommit(db);  // the committer holds webhook 0; the queue is empty again
  EXPECT_FALSE(submit(1, "queued"));
  EXPECT_FALSE(submit(2, "queued"));        // 12 bytes waiting
  EXPECT_TRUE(submit(3, "ten bytes!"));     // 22 > 20 bytes: refused
  EXPECT_FALSE(submit(3, "queued"));        // 18 bytes, 3 webhooks
  EXPECT_TRUE(submit(4, "q"));              // a fourth: refused
  holder.Release();
  writer.Stop();
  EXPECT_EQ(stored, 4);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox"), 4);
}

TEST(InboxWriterTest, ADownDatabaseIsUnavailable) {
  storage::DatabaseSettings settings;
  settings.url = "host=/nonexistent user=postgres dbname=x";
  storage::Database database(settings);
  SystemClock clock;
  InboxWriter writer(database, clock);
  auto stored = writer.Store("whatsapp", "raw", Fixture("text_fuga_agua_colonia_juarez.json"));
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, Errc::kUnavailable);
}

}  // namespace
}  // namespace sac::intake
