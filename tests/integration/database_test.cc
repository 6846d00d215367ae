// The storage layer against a real PostgreSQL: parameters, transactions, error mapping, the pool,
// reconnection and notifications.
#include "storage/database.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <thread>

#include "storage/notification_listener.h"
#include "tests/support/network_proxy.h"
#include "tests/support/test_database.h"

namespace sac::storage {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestDatabase;
using namespace std::chrono_literals;

constexpr Statement kEcho{
    "test.echo",
    "SELECT $1::text, $2::bigint, $3::float8, $4::boolean, $5::text IS NULL, $6::bytea,"
    "  to_char($7::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')"};
constexpr Statement kInsertYear{"test.insert_year",
                                "INSERT INTO folio_counter (year, last_number) VALUES ($1, 1)"};
constexpr Statement kCountYears{"test.count_years", "SELECT count(*) FROM folio_counter"};
constexpr Statement kCastInt{"test.cast_int", "SELECT $1::integer"};
constexpr Statement kSleep{"test.sleep", "SELECT pg_sleep($1)"};
constexpr Statement kLockShared{"test.lock_shared", "SELECT pg_advisory_xact_lock_shared(5399, 1)"};
constexpr Statement kLockExclusive{"test.lock_exclusive", "SELECT pg_advisory_xact_lock(5399, 1)"};
constexpr Statement kDivideByYears{"test.divide_by_years",
                                   "SELECT 1 / count(*) FROM folio_counter WHERE year < 2000"};

TEST(DatabaseTest, ParametersRoundTrip) {
  TestDatabase db;
  Database database(db.Settings());
  const std::string bytes("a\0b\xff", 4);
  const auto time = std::chrono::system_clock::time_point(std::chrono::microseconds(1773159323123456));
  auto row = database.Transact([&](Tx& tx) {
    const auto r = tx.Exec(kEcho, {"Juárez", 42L, 23.2418, true, std::nullopt, Param::Bytes(bytes), time})
                       .at(0);
    return std::make_tuple(r.Text(0), r.Int(1), r.Double(2), r.Bool(3), r.Bool(4), r.Bytes(5),
                           r.Text(6));
  });
  ASSERT_TRUE(row) << row.error().message;
  EXPECT_EQ(std::get<0>(*row), "Juárez");
  EXPECT_EQ(std::get<1>(*row), 42);
  EXPECT_DOUBLE_EQ(std::get<2>(*row), 23.2418);
  EXPECT_TRUE(std::get<3>(*row));
  EXPECT_TRUE(std::get<4>(*row)) << "nullopt is NULL";
  EXPECT_EQ(std::get<5>(*row), bytes) << "bytea keeps NUL and invalid UTF-8 bytes";
  EXPECT_EQ(std::get<6>(*row), "2026-03-10 16:15:23.123456");
}

TEST(DatabaseTest, OptionalParametersBecomeNullOrValue) {
  TestDatabase db;
  Database database(db.Settings());
  auto both = database.Transact([&](Tx& tx) {
    const std::optional<std::string> none;
    const std::optional<std::string> some = "x";
    return std::make_pair(
        tx.Exec(kEcho, {some, 1L, 1.0, false, none, Param::Bytes(""), std::chrono::system_clock::now()})
            .at(0)
            .Bool(4),
        tx.Exec(kEcho, {some, 1L, 1.0, false, some, Param::Bytes(""), std::chrono::system_clock::now()})
            .at(0)
            .Bool(4));
  });
  ASSERT_TRUE(both);
  EXPECT_TRUE(both->first);
  EXPECT_FALSE(both->second);
}

TEST(DatabaseTest, AFailingBodyRollsEverythingBack) {
  TestDatabase db;
  Database database(db.Settings());
  auto failed = database.Transact([&](Tx& tx) -> Status {
    tx.Exec(kInsertYear, {1999});
    return MakeError(Errc::kConflict, "changed my mind");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "changed my mind");
  EXPECT_EQ(db.Count("SELECT count(*) FROM folio_counter"), 0);

  auto rolled = database.Transact([&](Tx& tx) {
    tx.Exec(kInsertYear, {1999});
    tx.RollbackAtEnd();
    return tx.Exec(kCountYears).at(0).Int(0);
  });
  ASSERT_TRUE(rolled);
  EXPECT_EQ(*rolled, 1) << "visible inside the transaction";
  EXPECT_EQ(db.Count("SELECT count(*) FROM folio_counter"), 0) << "gone after it";
}

TEST(DatabaseTest, AThrowingBodyIsAnInternalErrorAndRollsBack) {
  TestDatabase db;
  Database database(db.Settings());
  auto failed = database.Transact([&](Tx& tx) -> int {
    tx.Exec(kInsertYear, {1999});
    throw std::runtime_error("bug");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, Errc::kInternal);
  EXPECT_EQ(db.Count("SELECT count(*) FROM folio_counter"), 0);
}

TEST(DatabaseTest, UniqueViolationsAreConflicts) {
  TestDatabase db;
  Database database(db.Settings());
  ASSERT_TRUE(database.Transact([&](Tx& tx) { tx.Exec(kInsertYear, {2000}); }));
  auto again = database.Transact([&](Tx& tx) { tx.Exec(kInsertYear, {2000}); });
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kConflict);
  EXPECT_THAT(again.error().message, HasSubstr("test.insert_year"));
}

TEST(DatabaseTest, ErrorsNameTheStatementButNeverTheValues) {
  TestDatabase db;
  Database database(db.Settings());
  auto failed = database.Transact([&](Tx& tx) { tx.Exec(kCastInt, {"+52 669 123 4501"}); });
  ASSERT_FALSE(failed);
  EXPECT_THAT(failed.error().message, HasSubstr("test.cast_int"));
  EXPECT_THAT(failed.error().message, HasSubstr("22P02"));
  EXPECT_THAT(failed.error().message, Not(HasSubstr("669")));
}

TEST(DatabaseTest, AnExhaustedPoolAnswersWithATimeout) {
  TestDatabase db;
  DatabaseSettings settings = db.Settings(1);
  settings.acquire_timeout = 200ms;
  Database database(settings);
  std::promise<void> holding;
  std::thread holder([&] {
    (void)database.Transact([&](Tx& tx) {
      holding.set_value();
      tx.Exec(kSleep, {1.0});
    });
  });
  holding.get_future().wait();
  auto starved = database.Transact([&](Tx& tx) { tx.Exec(kCountYears); });
  holder.join();
  ASSERT_FALSE(starved);
  EXPECT_EQ(starved.error().code, Errc::kTimeout);
  EXPECT_TRUE(database.Ping()) << "the connection is back in the pool";
}

// A server that stops answering (a frozen host, a black-holed network) cannot enforce its own
// statement_timeout; the client-side deadline (statement_timeout + 1 s) cuts the connection and
// the caller gets a timeout, not a wait without end. The test freezes its backend with SIGSTOP
// (it must be allowed to signal the server's processes: root, as in CI).
TEST(DatabaseTest, AServerThatStopsAnsweringIsCutOffAtTheDeadline) {
  TestDatabase db;
  DatabaseSettings settings = db.Settings(1);
  settings.statement_timeout = 500ms;
  Database database(settings);
  static constexpr Statement kBackend{"test.backend_pid", "SELECT pg_backend_pid()"};
  std::int64_t backend = 0;
  ASSERT_TRUE(database.Transact([&](Tx& tx) { backend = tx.Exec(kBackend).at(0).Int(0); }));
  if (::kill(static_cast<pid_t>(backend), SIGSTOP) != 0) {
    GTEST_SKIP() << "cannot signal the server's processes (not root)";
  }
  const auto start = std::chrono::steady_clock::now();
  auto frozen = database.Transact([&](Tx& tx) { tx.Exec(kCountYears); });
  const auto waited = std::chrono::steady_clock::now() - start;
  ::kill(static_cast<pid_t>(backend), SIGCONT);
  ASSERT_FALSE(frozen);
  EXPECT_EQ(frozen.error().code, Errc::kTimeout) << frozen.error().message;
  EXPECT_GE(waited, 1400ms) << "the server's own timeout had its chance first";
  EXPECT_LT(waited, 3s);
  EXPECT_TRUE(database.Ping()) << "the cut connection was dropped and a new one opened";
}

TEST(DatabaseTest, AnUnreachableServerIsUnavailable) {
  DatabaseSettings settings;
  settings.url = "host=/nonexistent/socket/dir user=postgres dbname=x";
  Database database(settings);
  auto ping = database.Ping();
  ASSERT_FALSE(ping);
  EXPECT_EQ(ping.error().code, Errc::kUnavailable);
}

TEST(DatabaseTest, StatementTimeoutsAreTimeouts) {
  TestDatabase db;
  DatabaseSettings settings = db.Settings();
  settings.statement_timeout = 100ms;
  Database database(settings);
  auto slow = database.Transact([&](Tx& tx) { tx.Exec(kSleep, {2.0}); });
  ASSERT_FALSE(slow);
  EXPECT_EQ(slow.error().code, Errc::kTimeout);
}

TEST(DatabaseTest, ReconnectsAfterTheServerDroppedThePooledConnection) {
  TestDatabase db;
  Database database(db.Settings(1));
  ASSERT_TRUE(database.Ping());
  db.Execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  EXPECT_TRUE(database.Ping()) << "a stale connection is replaced and the transaction retried";
}

TEST(DatabaseTest, NotificationsArriveOnlyForCommittedTransactions) {
  TestDatabase db;
  Database database(db.Settings());
  std::atomic<int> received{0};
  std::promise<void> first;
  std::atomic<bool> first_set{false};
  NotificationListener listener(Database::ConnectionString(database.settings()), {"test_channel"},
                                [&](std::string_view) {
                                  if (++received >= 2 && !first_set.exchange(true)) {
                                    first.set_value();
                                  }
                                });
  listener.Start();
  // The listener calls back once per channel when it (re)connects; wait for that first.
  for (int i = 0; i < 100 && received == 0; ++i) std::this_thread::sleep_for(20ms);
  ASSERT_EQ(received, 1);
  ASSERT_TRUE(database.Transact([&](Tx& tx) {
    tx.Notify("test_channel");
    tx.RollbackAtEnd();
  }));
  ASSERT_TRUE(database.Transact([&](Tx& tx) { tx.Notify("test_channel"); }));
  EXPECT_EQ(first.get_future().wait_for(5s), std::future_status::ready);
  std::this_thread::sleep_for(200ms);
  listener.Stop();
  EXPECT_EQ(received, 2) << "the rolled-back NOTIFY was never delivered";
}

// BEGIN, a NOTIFY and a statement run only for its effect travel with the next statement or the
// commit: counted at a proxy between the pool and PostgreSQL, once each statement is prepared.
TEST(DatabaseTest, BeginLocksAndNotificationsTakeNoRoundTripOfTheirOwn) {
  TestDatabase db;
  testing::NetworkProxy proxy(db.Settings().url);
  DatabaseSettings settings = db.Settings(1);
  settings.url = proxy.Route(settings.url);
  Database database(settings);
  auto round_trips = [&](const std::function<void(Tx&)>& body) {
    const std::int64_t before = proxy.ClientChunks();
    EXPECT_TRUE(database.Transact(body));
    return proxy.ClientChunks() - before;
  };
  auto lock_count_notify = [](Tx& tx) {
    tx.ExecUnread(kLockShared);
    tx.Exec(kCountYears);
    tx.Notify("test_channel");
  };
  auto lock_insert_notify = [](Tx& tx) {
    tx.ExecUnread(kLockShared);
    tx.Exec(kInsertYear, {2024});
    tx.Notify("test_channel");
    tx.RollbackAtEnd();
  };
  round_trips(lock_count_notify);  // prepares the statements on the connection
  round_trips(lock_insert_notify);

  EXPECT_EQ(round_trips(lock_count_notify), 2) << "BEGIN + lock + count, then NOTIFY + COMMIT";
  EXPECT_EQ(round_trips(lock_insert_notify), 3)
      << "a statement with parameters goes on its own: BEGIN + lock, the insert, ROLLBACK";
  EXPECT_EQ(round_trips([](Tx& tx) { tx.Exec(kCountYears); }), 2);
  EXPECT_EQ(round_trips([](Tx&) {}), 0) << "nothing ran: nothing is sent";
  EXPECT_EQ(round_trips([](Tx& tx) { tx.Notify("test_channel"); }), 1);
}

// A lock sent ahead is taken before the next statement takes its snapshot: the count waits for
// the writer holding the lock and sees its row.
TEST(DatabaseTest, AStatementSentAheadRunsBeforeTheNextStatementsSnapshot) {
  TestDatabase db;
  Database writer(db.Settings(1));
  Database reader(db.Settings(1));
  ASSERT_TRUE(reader.Transact([](Tx& tx) {
    tx.ExecUnread(kLockShared);
    tx.Exec(kCountYears);
  }));  // prepared on the reader's connection: from now on the lock travels with the count
  std::promise<void> locked;
  std::thread holder([&] {
    EXPECT_TRUE(writer.Transact([&](Tx& tx) {
      tx.Exec(kLockExclusive);
      tx.Exec(kInsertYear, {2030});
      locked.set_value();
      std::this_thread::sleep_for(300ms);
    }));
  });
  locked.get_future().wait();
  const auto count = reader.Transact([](Tx& tx) {
    tx.ExecUnread(kLockShared);
    return tx.Exec(kCountYears).at(0).Int(0);
  });
  holder.join();
  ASSERT_TRUE(count);
  EXPECT_EQ(*count, 1) << "the count's snapshot came after the writer committed and let go";
}

// A statement sent ahead that fails fails its transaction, whether it travelled with a statement
// or with the COMMIT, and the connection goes back to the pool outside any transaction.
TEST(DatabaseTest, AFailingStatementSentAheadFailsTheTransactionAndLeavesTheConnectionClean) {
  TestDatabase db;
  Database database(db.Settings(1));
  db.Execute("INSERT INTO folio_counter (year, last_number) VALUES (1999, 1)");
  ASSERT_TRUE(database.Transact([](Tx& tx) {
    tx.ExecUnread(kDivideByYears);
    tx.Exec(kCountYears);
  }));
  db.Execute("DELETE FROM folio_counter");  // from now on it divides by zero

  const Status with_statement = database.Transact([](Tx& tx) {
    tx.ExecUnread(kDivideByYears);
    tx.Exec(kCountYears);
  });
  ASSERT_FALSE(with_statement);
  EXPECT_THAT(with_statement.error().message, HasSubstr("22012"));

  const Status with_commit = database.Transact([](Tx& tx) {
    tx.Exec(kInsertYear, {2031});
    tx.ExecUnread(kDivideByYears);
  });
  ASSERT_FALSE(with_commit);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM folio_counter"), "0") << "the insert was rolled back";

  // The pool's one connection is usable: not left inside an aborted transaction.
  ASSERT_TRUE(database.Transact([](Tx& tx) { tx.Exec(kInsertYear, {2032}); }));
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM folio_counter"), "1");
}

}  // namespace
}  // namespace sac::storage
