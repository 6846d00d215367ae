// The durable half of a webhook: raw request and inbox rows in one transaction, deduplicated by
// the provider's ids under a UNIQUE constraint.
#include "intake/inbox_writer.h"

#include <gtest/gtest.h>

#include <atomic>
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

TEST(InboxWriterTest, ConcurrentDeliveriesOfOneMessageStoreOneRow) {
  TestDatabase db;
  storage::Database database(db.Settings(8));
  SystemClock clock;
  InboxWriter writer(database, clock);
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
  const ParsedWebhook base = Fixture("text_fuga_agua_colonia_juarez.json");
  auto webhook = [&](int n, std::string text) {
    ParsedWebhook parsed = base;
    parsed.messages[0].external_id = "wamid.group" + std::to_string(n);
    parsed.messages[0].text = std::move(text);
    return parsed;
  };
  constexpr int kQueued = 20;
  constexpr int kBad = 7;  // a NUL in its text: PostgreSQL's jsonb refuses it

  storage::Database holder_db(db.Settings(1));
  std::atomic<bool> release{false};
  std::thread holder([&] {
    ASSERT_TRUE(holder_db.Transact([&](storage::Tx& tx) {
      tx.Exec({"test.lock_inbox", "LOCK TABLE inbox IN SHARE MODE"});
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }));
  });
  while (db.Count("SELECT count(*) FROM pg_locks WHERE relation = 'inbox'::regclass AND granted") == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }

  std::vector<std::optional<Result<StoreSummary>>> answers(kQueued + 1);
  std::vector<std::thread> senders;
  senders.emplace_back([&] { answers[0] = writer.Store("whatsapp", "first", webhook(0, "primera")); });
  while (db.Count("SELECT count(*) FROM pg_locks WHERE relation = 'inbox'::regclass AND NOT granted") == 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));  // the first group waits on the lock
  }
  for (int n = 1; n <= kQueued; ++n) {
    senders.emplace_back([&, n] {
      answers[n] = writer.Store("whatsapp", "raw " + std::to_string(n),
                                webhook(n, n == kBad ? "con \0 dentro"s : "otra fuga de agua"));
    });
  }
  while (writer.waiting() < kQueued) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  release = true;
  holder.join();
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
