// deploy/backup.sh and deploy/restore.sh, run for real: a database with boletas, a hash-chained
// access log and a photo is backed up while it stays usable, restored into an empty database
// and media directory, and comes back whole — same rows, the access log's chain intact with the
// same head, the photo's bytes, nothing left for `sac migrate`. A restore over a database that
// already has SAC's tables, or from a corrupted backup, is refused.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "media/media_store.h"
#include "storage/database.h"
#include "tests/support/subprocess.h"
#include "tests/support/test_database.h"
#include "tests/support/testdata.h"
#include "web/personal_data_log.h"

namespace sac {
namespace {

using ::testing::HasSubstr;
using testing::RunProcess;

class BackupRestoreTest : public ::testing::Test {
 protected:
  BackupRestoreTest()
      : dir_(std::filesystem::temp_directory_path() / ("sac_backup_" + std::to_string(::getpid()))) {
    std::filesystem::remove_all(dir_);
    db_.SeedDependencias();
    db_.Execute("INSERT INTO staff_user (username, display_name, role, password_hash) VALUES "
                "('capturista', 'C', 'atencion_ciudadana', 'x')");
    db_.Execute("INSERT INTO boleta (folio, channel, text, status) SELECT '2026-' || lpad(g::text, 6, '0'),"
                " 'whatsapp', 'petición ' || g, 'por_clasificar' FROM generate_series(1, 50) g");
    storage::Database database(db_.Settings(1));
    EXPECT_TRUE(database.Transact([&](storage::Tx& tx) {
      web::RecordPersonalDataView(tx, 1, {1, 2, 3}, {"texto"}, "/bandeja", std::chrono::system_clock::now());
    }));
    const media::MediaStore media(dir_ / "media");
    photo_ = media.Store("\xFF\xD8\xFF una foto")->sha256;
  }
  ~BackupRestoreTest() override { std::filesystem::remove_all(dir_); }

  static testing::ProcessResult Script(const char* name, const std::vector<std::string>& arguments) {
    std::vector<std::string> argv = {"/bin/bash", (testing::SourceDir() / "deploy" / name).string()};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    return RunProcess(argv);
  }
  static testing::ProcessResult Sac(const testing::TestDatabase& db, std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), testing::SacBinary());
    return RunProcess(arguments, {{"SAC_DATABASE_URL", db.url()}, {"SAC_LOG_LEVEL", "warn"}});
  }

  testing::TestDatabase db_;
  std::filesystem::path dir_;
  std::string photo_;
};

TEST_F(BackupRestoreTest, ABackupRestoresWholeIntoAnEmptyDatabase) {
  const auto backup = Script("backup.sh", {db_.url(), (dir_ / "media").string(), (dir_ / "backups").string()});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const std::string made = backup.out.substr(0, backup.out.find('\n'));
  EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(made) / "database.dump"));

  testing::TestDatabase restored(testing::TestDatabase::Schema::kEmpty);
  const auto restore = Script("restore.sh", {made, restored.url(), (dir_ / "restored-media").string()});
  ASSERT_EQ(restore.exit_code, 0) << restore.err;
  for (const char* table : {"boleta", "dependencia", "personal_data_access", "schema_migrations"}) {
    EXPECT_EQ(restored.Scalar(std::string("SELECT count(*) FROM ") + table),
              db_.Scalar(std::string("SELECT count(*) FROM ") + table)) << table;
  }
  const auto original = Sac(db_, {"audit", "verify"});
  const auto copy = Sac(restored, {"audit", "verify"});
  ASSERT_EQ(copy.exit_code, 0) << copy.out << copy.err;
  EXPECT_EQ(copy.out, original.out) << "the same chain, the same head";
  const auto migrate = Sac(restored, {"migrate", "--dry-run"});
  EXPECT_EQ(migrate.exit_code, 0) << migrate.err;
  EXPECT_THAT(migrate.out + migrate.err, ::testing::Not(HasSubstr(".sql"))) << "nothing pending";
  std::ifstream file(media::MediaStore(dir_ / "restored-media").PathOf(photo_), std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(file), {}), "\xFF\xD8\xFF una foto");
  // The restored database still refuses the application a rewrite of the access log.
  EXPECT_THROW(restored.Execute("SET ROLE sac_app; DELETE FROM personal_data_access"), std::exception);
}

// A citizen cancelled after the backup was taken comes back with the restore; the cancellation
// journal (outside the database) cancels them again. A later citizen given the same id by the
// restored database is someone else: left alone.
TEST_F(BackupRestoreTest, CancellationsMadeAfterTheBackupAreAppliedAgainAfterTheRestore) {
  db_.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Ana Canario', '+526691230001'),"
              " ('Beto Canario', '+526691230002')");
  db_.Execute("UPDATE boleta SET citizen_id = 1 WHERE id = 1");
  const std::string config = (dir_ / "sac.toml").string();
  std::filesystem::create_directories(dir_);
  std::ofstream(config) << "[media]\ndir = \"" << (dir_ / "media").string() << "\"\n"
                        << "[retention]\ncancellation_journal = \""
                        << (dir_ / "journal" / "cancelaciones.log").string() << "\"\n";
  const auto backup = Script("backup.sh", {db_.url(), (dir_ / "media").string(), (dir_ / "backups").string()});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const std::string made = backup.out.substr(0, backup.out.find('\n'));

  // After the backup: Ana asks to be cancelled; Carla writes for the first time and is cancelled too.
  db_.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Carla Canario', '+526691230003')");
  for (const char* id : {"1", "3"}) {
    const auto cancelled =
        Sac(db_, {"--config", config, "citizen", "cancel", "--id", id, "--actor", "ut", "--confirmar"});
    ASSERT_EQ(cancelled.exit_code, 0) << cancelled.err;
  }

  testing::TestDatabase restored(testing::TestDatabase::Schema::kEmpty);
  ASSERT_EQ(Script("restore.sh", {made, restored.url(), (dir_ / "restored-media").string()}).exit_code, 0);
  EXPECT_EQ(restored.Scalar("SELECT phone FROM citizen WHERE id = 1"), "+526691230001")
      << "the backup holds Ana's data";
  // The restored database hands out id 3 again, to someone new.
  restored.Execute("INSERT INTO citizen (display_name, phone) VALUES ('Dora Nueva', '+526691230004')");
  ASSERT_EQ(restored.Scalar("SELECT id FROM citizen WHERE display_name = 'Dora Nueva'"), "3");

  const auto reapplied =
      Sac(restored, {"--config", config, "citizen", "reapply-cancellations", "--actor", "restauracion"});
  ASSERT_EQ(reapplied.exit_code, 0) << reapplied.err;
  EXPECT_THAT(reapplied.out, HasSubstr("1 ciudadanos"));
  EXPECT_EQ(restored.Scalar("SELECT coalesce(phone, '-') || ' ' || display_name || ' ' ||"
                            " (cancelled_at IS NOT NULL)::text FROM citizen WHERE id = 1"),
            "-  true");
  EXPECT_EQ(restored.Scalar("SELECT text FROM boleta WHERE id = 1"),
            "[Datos suprimidos a solicitud del titular]");
  EXPECT_EQ(restored.Scalar("SELECT phone FROM citizen WHERE id = 3"), "+526691230004")
      << "the same id, a different person (created at another instant)";
  EXPECT_EQ(restored.Scalar("SELECT phone FROM citizen WHERE id = 2"), "+526691230002");
  EXPECT_EQ(restored.Scalar("SELECT actor || ' ' || (detail->>'motivo') FROM arco_action"
                            " WHERE citizen_id = 1 ORDER BY id DESC LIMIT 1"),
            "restauracion solicitud");
  const auto again =
      Sac(restored, {"--config", config, "citizen", "reapply-cancellations", "--actor", "restauracion"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("0 ciudadanos")) << "nothing twice";
}

TEST_F(BackupRestoreTest, ARestoreOverSacsTablesOrFromACorruptedBackupIsRefused) {
  const auto backup = Script("backup.sh", {db_.url(), (dir_ / "media").string(), (dir_ / "backups").string()});
  ASSERT_EQ(backup.exit_code, 0) << backup.err;
  const std::string made = backup.out.substr(0, backup.out.find('\n'));
  const auto over = Script("restore.sh", {made, db_.url(), (dir_ / "other-media").string()});
  EXPECT_EQ(over.exit_code, 1);
  EXPECT_THAT(over.err, HasSubstr("restore into an empty one"));
  std::ofstream(std::filesystem::path(made) / "media.tar", std::ios::app) << "x";
  testing::TestDatabase empty(testing::TestDatabase::Schema::kEmpty);
  const auto corrupted = Script("restore.sh", {made, empty.url(), (dir_ / "other-media").string()});
  EXPECT_NE(corrupted.exit_code, 0);
  EXPECT_EQ(empty.Scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"), "0");
}

}  // namespace
}  // namespace sac
