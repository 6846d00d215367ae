// The access log of citizens' personal data as a hash chain: rows written concurrently by many
// transactions form one unbroken chain; changing or removing a row afterwards — as
// the database owner, past the application's grants — is found at the first row that no longer
// fits; `sac audit verify` says so with its exit code, and so does the daily job.
#include "privacy/access_log.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "scheduler/jobs.h"
#include "storage/database.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "web/personal_data_log.h"

namespace sac::privacy {
namespace {

using ::testing::HasSubstr;

class AccessLogTest : public ::testing::Test {
 protected:
  AccessLogTest() : database_(db_.Settings(8)) {
    db_.Execute("INSERT INTO staff_user (username, display_name, role, password_hash) VALUES "
                "('capturista', 'C', 'atencion_ciudadana', 'x')");
    db_.Execute("INSERT INTO boleta (folio, channel, text) SELECT '2026-' || lpad(g::text, 6, '0'),"
                " 'whatsapp', 't' FROM generate_series(1, 5) g");
  }

  AccessLogCheck Check() {
    AccessLogCheck check;
    EXPECT_TRUE(database_.Transact([&](storage::Tx& tx) { check = VerifyAccessLog(tx); }));
    return check;
  }

  testing::ProcessResult Verify() {
    return testing::RunProcess({testing::SacBinary(), "audit", "verify"},
                               {{"SAC_DATABASE_URL", db_.url()}, {"SAC_LOG_LEVEL", "warn"}});
  }

  testing::TestDatabase db_;
  storage::Database database_;
};

TEST_F(AccessLogTest, ConcurrentViewsFormOneUnbrokenChain) {
  EXPECT_EQ(Check().rows, 0);
  std::vector<std::thread> pages;
  for (int t = 0; t < 8; ++t) {
    pages.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        (void)database_.Transact([&](storage::Tx& tx) {
          web::RecordPersonalDataView(tx, 1, {1 + (t + i) % 5, 1 + (t + i + 1) % 5}, {"texto"},
                                      "/bandeja", std::chrono::system_clock::now());
        });
      }
    });
  }
  for (auto& page : pages) page.join();
  const auto check = Check();
  EXPECT_EQ(check.rows, 8 * 25 * 2);
  EXPECT_EQ(check.first_broken, std::nullopt);
  EXPECT_EQ(check.head.size(), 64u);
  const auto verified = Verify();
  EXPECT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.out, HasSubstr("400 registros; huella final " + check.head));
}

TEST_F(AccessLogTest, AChangedOrRemovedRowBreaksTheChainWhereItHappened) {
  ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) {
    for (int i = 0; i < 10; ++i) {
      web::RecordPersonalDataView(tx, 1, {1}, {"texto", "telefono"}, "/boletas/{folio}",
                                  std::chrono::system_clock::now());
    }
  }));
  ASSERT_EQ(Check().first_broken, std::nullopt);
  // The owner (not the application, which cannot) rewrites who looked.
  db_.Execute("ALTER TABLE personal_data_access DISABLE TRIGGER USER");
  db_.Execute("UPDATE personal_data_access SET fields = '{texto}' WHERE chain_seq = 4");
  EXPECT_EQ(Check().first_broken, 4);
  const auto verified = Verify();
  EXPECT_EQ(verified.exit_code, 1);
  EXPECT_THAT(verified.out, HasSubstr("alterada desde el registro 4"));
  auto job = scheduler::AccessLogCheckJob(database_);
  EXPECT_FALSE(job->Run(std::chrono::system_clock::now())) << "the daily job fails loudly";

  db_.Execute("UPDATE personal_data_access SET fields = '{texto,telefono}' WHERE chain_seq = 4");
  ASSERT_EQ(Check().first_broken, std::nullopt) << "restored";
  db_.Execute("DELETE FROM personal_data_access WHERE chain_seq = 7");
  EXPECT_EQ(Check().first_broken, 7) << "the row after the gap no longer fits";
}

// The dependencias' API reads go in the same chain, under the token that read. A staff member's
// row hashes as it did before API rows existed (migration 0038), so a chain written before
// verifies unchanged; a row whose reader is changed afterwards breaks the chain there.
TEST_F(AccessLogTest, ApiReadsJoinTheChainUnderTheirToken) {
  db_.Execute("INSERT INTO dependencia (id, name, sla_business_days) VALUES ('obras', 'Obras', 10)");
  db_.Execute("INSERT INTO api_token (dependencia_id, label, token_sha256) VALUES ('obras', 's', 'x')");
  const std::int64_t token = db_.Count("SELECT id FROM api_token");
  ASSERT_TRUE(database_.Transact([&](storage::Tx& tx) {
    const auto now = std::chrono::system_clock::now();
    web::RecordPersonalDataView(tx, 1, {1}, {"texto"}, "/bandeja", now);
    web::RecordApiDataView(tx, token, {1, 2}, {"texto"}, "/api/v1/boletas", now);
    web::RecordApiDataView(tx, token, {3}, {"texto", "nombre"}, "/api/v1/boletas/{folio}", now);
    web::RecordPersonalDataView(tx, 1, {3}, {"texto"}, "/boletas/{folio}", now);
  }));
  EXPECT_EQ(Check().rows, 5);
  EXPECT_EQ(Check().first_broken, std::nullopt);
  EXPECT_EQ(db_.Scalar("SELECT string_agg(coalesce(user_id::text, 'token ' || api_token_id), ',' "
                       "ORDER BY chain_seq) FROM personal_data_access"),
            "1,token " + std::to_string(token) + ",token " + std::to_string(token) + ",token " +
                std::to_string(token) + ",1");
  EXPECT_EQ(db_.Count("SELECT count(*) FROM personal_data_access WHERE personal_data_access_body("
                      "chain_seq, user_id, boleta_id, fields, route, at, api_token_id) = "
                      "personal_data_access_body(chain_seq, user_id, boleta_id, fields, route, at)"),
            2)
      << "staff rows hash as before the API's reads were logged";
  EXPECT_THROW(db_.Execute("INSERT INTO personal_data_access (user_id, api_token_id, fields, route,"
                           " at) VALUES (1, " + std::to_string(token) + ", '{texto}', '/x', now())"),
               std::exception)
      << "one reader per row";

  db_.Execute("ALTER TABLE personal_data_access DISABLE TRIGGER USER");
  db_.Execute("UPDATE personal_data_access SET api_token_id = NULL, user_id = 1 WHERE chain_seq = 3");
  EXPECT_EQ(Check().first_broken, 3) << "who read cannot be rewritten";
}

}  // namespace
}  // namespace sac::privacy
