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

}  // namespace
}  // namespace sac::privacy
