// Migrations against a real PostgreSQL: from zero, idempotent, concurrent, tamper-evident.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "storage/database.h"
#include "storage/migration_source.h"
#include "storage/migrator.h"
#include "tests/support/test_database.h"

namespace sac::storage {
namespace {

using ::testing::HasSubstr;
using testing::TestDatabase;

std::vector<Migration> Embedded() { return *LoadMigrations(EmbeddedMigrations()); }

TEST(MigrationsTest, ApplyFromZeroThenNothingIsLeft) {
  TestDatabase db(TestDatabase::Schema::kEmpty);
  Migrator migrator(db.url(), Embedded());
  auto first = migrator.Apply();
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->size(), Embedded().size());
  EXPECT_EQ(db.Count("SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(Embedded().size()));
  for (const char* table : {"inbox", "webhook_request", "boleta", "boleta_event", "outbox",
                            "citizen", "citizen_identity", "dependencia", "staff_user"}) {
    EXPECT_EQ(db.Scalar(std::string("SELECT to_regclass('") + table + "') IS NOT NULL"), "t")
        << table;
  }

  auto second = migrator.Apply();
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->empty()) << "a second run applies nothing";
  auto plan = migrator.Plan();
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->pending.empty());
  EXPECT_EQ(plan->applied.size(), Embedded().size());
}

// Data migrations act on what earlier versions left: 0025 hashes the provider ids of messages
// cancelled before salted hashes existed (0022), and leaves everything else alone.
TEST(MigrationsTest, MessagesCancelledBeforeHashesExistedAreHashedByTheUpgrade) {
  TestDatabase db(TestDatabase::Schema::kEmpty);
  std::vector<Migration> before = Embedded();
  std::erase_if(before, [](const Migration& m) { return m.version >= 25; });
  ASSERT_TRUE(Migrator(db.url(), before).Apply());
  db.Execute("INSERT INTO webhook_request (channel, body) VALUES ('whatsapp', '\\x00')");
  db.Execute("INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload) VALUES "
             "(1, 'whatsapp', 'wamid.cancelled', 'message', '', '{\"suprimido\": true}'),"
             "(1, 'whatsapp', 'wamid.kept', 'message', '5216690000000', '{\"text\": \"hola\"}')");
  ASSERT_TRUE(Migrator(db.url(), Embedded()).Apply());
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox WHERE dedupe_key = dedupe_hash('whatsapp', 'wamid.cancelled')"), 1);
  EXPECT_EQ(db.Count("SELECT count(*) FROM inbox WHERE dedupe_key = 'wamid.kept'"), 1);
}

TEST(MigrationsTest, DryRunChangesNothing) {
  TestDatabase db(TestDatabase::Schema::kEmpty);
  Migrator migrator(db.url(), Embedded());
  auto plan = migrator.Plan();
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->pending.size(), Embedded().size());
  EXPECT_EQ(db.Scalar("SELECT to_regclass('schema_migrations') IS NULL"), "t");
}

TEST(MigrationsTest, TwoMigratorsAtOnceApplyEachMigrationOnce) {
  TestDatabase db(TestDatabase::Schema::kEmpty);
  Result<std::vector<Migration>> results[2] = {std::vector<Migration>{}, std::vector<Migration>{}};
  std::thread a([&] { results[0] = Migrator(db.url(), Embedded()).Apply(); });
  std::thread b([&] { results[1] = Migrator(db.url(), Embedded()).Apply(); });
  a.join();
  b.join();
  ASSERT_TRUE(results[0]) << results[0].error().message;
  ASSERT_TRUE(results[1]) << results[1].error().message;
  EXPECT_EQ(results[0]->size() + results[1]->size(), Embedded().size());
  EXPECT_EQ(db.Count("SELECT count(*) FROM schema_migrations"),
            static_cast<std::int64_t>(Embedded().size()));
}

TEST(MigrationsTest, RefusesAMigrationEditedAfterItLanded) {
  TestDatabase db;
  db.Execute("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1");
  auto applied = Migrator(db.url(), Embedded()).Apply();
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().code, Errc::kConflict);
  EXPECT_THAT(applied.error().message, HasSubstr("changed after it was applied"));
}

TEST(MigrationsTest, RefusesADatabaseNewerThanTheBinary) {
  TestDatabase db;
  db.Execute("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, '9999_x.sql', 'x')");
  auto applied = Migrator(db.url(), Embedded()).Apply();
  ASSERT_FALSE(applied);
  EXPECT_THAT(applied.error().message, HasSubstr("9999_x.sql"));
}

TEST(MigrationsTest, SchemaCheckTellsMissingBehindAheadAndCurrent) {
  const int expected = Embedded().back().version;
  TestDatabase empty(TestDatabase::Schema::kEmpty);
  Database empty_db(empty.Settings());
  auto missing = CheckSchemaCurrent(empty_db, expected);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kConflict);
  EXPECT_THAT(missing.error().message, HasSubstr("sac migrate"));

  TestDatabase migrated;
  Database db(migrated.Settings());
  EXPECT_TRUE(CheckSchemaCurrent(db, expected));
  auto behind = CheckSchemaCurrent(db, expected + 1);
  ASSERT_FALSE(behind);
  EXPECT_THAT(behind.error().message, HasSubstr("sac migrate"));
  auto ahead = CheckSchemaCurrent(db, expected - 1);
  ASSERT_FALSE(ahead);
  EXPECT_THAT(ahead.error().message, HasSubstr("newer than this binary"));
}

}  // namespace
}  // namespace sac::storage
