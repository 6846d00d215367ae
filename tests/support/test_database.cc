#include "tests/support/test_database.h"

#include "routing/dependencias.h"
#include "tests/support/testdata.h"

#include <pqxx/pqxx>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include "crypto/digest.h"
#include "storage/migration_source.h"
#include "storage/migrator.h"

namespace sac::testing {
namespace {

constexpr long long kTemplateLockKey = 0x5AC0'7E57;

std::string TemplateName() {
  std::string checksums;
  for (const auto& file : storage::EmbeddedMigrations()) {
    checksums += file.name + crypto::Sha256Hex(file.sql);
  }
  return "sac_template_" + crypto::Sha256Hex(checksums).substr(0, 12);
}

void CreateTemplateIfMissing(pqxx::nontransaction& admin, const std::string& admin_url,
                             const std::string& name) {
  const auto exists = admin.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", name);
  if (!exists.empty()) {
    return;
  }
  admin.exec("CREATE DATABASE " + admin.quote_name(name));
  auto migrations = storage::LoadMigrations(storage::EmbeddedMigrations());
  if (!migrations) {
    throw std::runtime_error(migrations.error().message);
  }
  storage::Migrator migrator(admin_url + " dbname=" + name, *migrations);
  if (auto applied = migrator.Apply(); !applied) {
    admin.exec("DROP DATABASE " + admin.quote_name(name));
    throw std::runtime_error("migrating the test template failed: " + applied.error().message);
  }
}

}  // namespace

std::string TestDatabase::AdminUrl() {
  const char* url = std::getenv("SAC_TEST_DATABASE_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error(
        "SAC_TEST_DATABASE_URL is not set: integration tests need the PostgreSQL cluster that "
        "`deploy/dev.sh test` starts");
  }
  return url;
}

std::string TestDatabase::UrlFor(const std::string& database) {
  return AdminUrl() + " dbname=" + database;  // libpq: the last dbname wins
}

TestDatabase::TestDatabase(Schema schema) : TestDatabase(AdminUrl(), schema) {}

TestDatabase::TestDatabase(std::string admin_url, Schema schema) : admin_url_(std::move(admin_url)) {
  static std::atomic<int> counter{0};
  name_ = "sac_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  url_ = admin_url_ + " dbname=" + name_;  // libpq: the last dbname wins
  pqxx::connection connection(admin_url_);
  pqxx::nontransaction admin(connection);
  if (schema == Schema::kEmpty) {
    admin.exec("CREATE DATABASE " + admin.quote_name(name_));
    return;
  }
  // Serialises template creation and copying across the parallel test processes: PostgreSQL
  // refuses to copy a template while another session uses it.
  admin.exec("SELECT pg_advisory_lock(" + std::to_string(kTemplateLockKey) + ")");
  try {
    const std::string template_name = TemplateName();
    CreateTemplateIfMissing(admin, admin_url_, template_name);
    // Tests connect as the application's role too, as `sac serve` does in production.
    admin.exec("ALTER ROLE sac_app LOGIN");
    admin.exec("CREATE DATABASE " + admin.quote_name(name_) + " TEMPLATE " +
               admin.quote_name(template_name));
  } catch (...) {
    admin.exec("SELECT pg_advisory_unlock(" + std::to_string(kTemplateLockKey) + ")");
    throw;
  }
  admin.exec("SELECT pg_advisory_unlock(" + std::to_string(kTemplateLockKey) + ")");
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection connection(admin_url_);
    pqxx::nontransaction admin(connection);
    admin.exec("DROP DATABASE IF EXISTS " + admin.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The throwaway cluster is deleted at the end of the run anyway.
  }
}

storage::DatabaseSettings TestDatabase::Settings(int pool_size) const {
  storage::DatabaseSettings settings;
  settings.url = url_;
  settings.pool_size = pool_size;
  return settings;
}

std::string TestDatabase::Scalar(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction tx(connection);
  const auto result = tx.exec(sql);
  if (result.empty() || result[0][0].is_null()) {
    return "";
  }
  return result[0][0].c_str();
}

void TestDatabase::Execute(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction tx(connection);
  tx.exec(sql);
}

void TestDatabase::SeedDependencias() const {
  auto dependencias = routing::LoadDependencias(SourceDir() / "rules/dependencias.toml");
  if (!dependencias) throw std::runtime_error("rules/dependencias.toml: " + dependencias.error().message);
  storage::Database database(Settings(1));
  auto seeded = database.Transact(
      [&](storage::Tx& tx) { return routing::UpsertDependencias(tx, *dependencias); });
  if (!seeded) throw std::runtime_error("seeding the dependencias: " + seeded.error().message);
}

}  // namespace sac::testing
