// A fresh, fully migrated PostgreSQL database per test, on the cluster deploy/dev.sh test starts
// (SAC_TEST_DATABASE_URL, a key=value libpq string for its `postgres` database). Databases are
// copied from a migrated template, so each costs milliseconds; tests in parallel processes never
// see each other's rows.
#pragma once

#include <cstdint>
#include <string>

#include "storage/database.h"

namespace sac::testing {

class TestDatabase {
 public:
  enum class Schema { kMigrated, kEmpty };
  // Throws std::runtime_error with a clear message when no cluster is configured.
  explicit TestDatabase(Schema schema = Schema::kMigrated);
  // The same on another cluster (e.g. a PrivateCluster a test may crash).
  TestDatabase(std::string admin_url, Schema schema);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }
  storage::DatabaseSettings Settings(int pool_size = 4) const;

  // Test-side SQL, outside the code under test.
  std::string Scalar(const std::string& sql) const;
  std::int64_t Count(const std::string& sql) const { return std::stoll(Scalar(sql)); }
  void Execute(const std::string& sql) const;
  // The dependencias of rules/dependencias.toml, as `sac seed` loads them (clear petitions are
  // then routed at once). Throws std::runtime_error when they cannot be loaded.
  void SeedDependencias() const;

  // The cluster's admin connection string (for tests that create databases themselves).
  static std::string AdminUrl();
  static std::string UrlFor(const std::string& database);

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace sac::testing
