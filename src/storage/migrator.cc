#include "storage/migrator.h"

#include <pqxx/pqxx>

#include <algorithm>
#include <cctype>
#include <map>

#include "crypto/digest.h"
#include "observability/log.h"
#include "storage/database.h"

namespace sac::storage {
namespace {

// Any constant works as long as every SAC process uses the same one.
constexpr long long kMigrationLockKey = 0x5AC0'0001;

constexpr const char* kCreateTable = R"sql(
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    checksum   text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  ))sql";

const log::Logger& Log() {
  static const log::Logger logger("migrate");
  return logger;
}

struct AppliedRow {
  std::string name;
  std::string checksum;
};

std::map<int, AppliedRow> ReadApplied(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  std::map<int, AppliedRow> applied;
  const pqxx::result exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>()) {
    return applied;
  }
  for (const auto& row : tx.exec("SELECT version, name, checksum FROM schema_migrations")) {
    applied[row[0].as<int>()] = AppliedRow{row[1].as<std::string>(), row[2].as<std::string>()};
  }
  return applied;
}

Result<MigrationPlan> Compare(const std::vector<Migration>& migrations,
                              const std::map<int, AppliedRow>& applied) {
  MigrationPlan plan;
  for (const Migration& migration : migrations) {
    const auto found = applied.find(migration.version);
    if (found == applied.end()) {
      plan.pending.push_back(migration);
    } else if (found->second.checksum != migration.checksum) {
      return MakeError(Errc::kConflict, "migration " + migration.name +
                                            " changed after it was applied; migrations are "
                                            "forward-only: add a new file instead");
    } else {
      plan.applied.push_back(migration);
    }
  }
  for (const auto& [version, row] : applied) {
    const bool known = std::any_of(migrations.begin(), migrations.end(),
                                   [&](const Migration& m) { return m.version == version; });
    if (!known) {
      return MakeError(Errc::kConflict, "the database has migration " + row.name +
                                            ", which this binary does not know: it is older "
                                            "than the schema");
    }
  }
  return plan;
}

}  // namespace

Result<std::vector<Migration>> LoadMigrations(const std::vector<MigrationFile>& files) {
  std::vector<Migration> migrations;
  for (const MigrationFile& file : files) {
    const std::string& name = file.name;
    const bool well_named = name.size() > 9 && name[4] == '_' &&
                            std::all_of(name.begin(), name.begin() + 4,
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }) &&
                            name.ends_with(".sql");
    if (!well_named) {
      return MakeError(Errc::kInvalidArgument,
                       "migration file " + name + " is not named NNNN_concern.sql");
    }
    Migration migration;
    migration.version = std::stoi(name.substr(0, 4));
    migration.name = name;
    migration.sql = file.sql;
    migration.checksum = crypto::Sha256Hex(file.sql);
    migrations.push_back(std::move(migration));
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return MakeError(Errc::kInvalidArgument, "two migrations share version " +
                                                   std::to_string(migrations[i].version));
    }
  }
  return migrations;
}

Migrator::Migrator(std::string connection_string, std::vector<Migration> migrations)
    : connection_string_(std::move(connection_string)), migrations_(std::move(migrations)) {}

int Migrator::ExpectedVersion() const {
  return migrations_.empty() ? 0 : migrations_.back().version;
}

Result<MigrationPlan> Migrator::Plan() {
  try {
    pqxx::connection connection(connection_string_);
    return Compare(migrations_, ReadApplied(connection));
  } catch (const pqxx::broken_connection&) {
    return MakeError(Errc::kUnavailable, "cannot connect to the database");
  } catch (const std::exception& error) {
    return MakeError(Errc::kInternal, std::string("reading schema_migrations: ") + error.what());
  }
}

Result<std::vector<Migration>> Migrator::Apply() {
  std::string current = "(connecting)";
  try {
    pqxx::connection connection(connection_string_);
    {
      pqxx::nontransaction lock(connection);
      lock.exec("SELECT pg_advisory_lock(" + std::to_string(kMigrationLockKey) + ")");
      lock.exec(kCreateTable);
    }
    auto plan = Compare(migrations_, ReadApplied(connection));
    if (!plan) {
      return plan.error();
    }
    std::vector<Migration> done;
    for (const Migration& migration : plan->pending) {
      current = migration.name;
      pqxx::work tx(connection);
      tx.exec(migration.sql);
      tx.exec_params("INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
                     migration.version, migration.name, migration.checksum);
      tx.commit();
      Log().Info("migration applied", {{"migration", migration.name}});
      done.push_back(migration);
    }
    // Closing the connection releases the advisory lock as well; unlock explicitly anyway.
    pqxx::nontransaction unlock(connection);
    unlock.exec("SELECT pg_advisory_unlock(" + std::to_string(kMigrationLockKey) + ")");
    return done;
  } catch (const pqxx::broken_connection&) {
    return MakeError(Errc::kUnavailable, "cannot connect to the database");
  } catch (const pqxx::sql_error& error) {
    // Schema SQL carries no citizen data: the server's message helps whoever wrote the file.
    return MakeError(Errc::kInternal, "migration " + current + " failed: " + error.what());
  } catch (const std::exception& error) {
    return MakeError(Errc::kInternal, "migration " + current + " failed: " + error.what());
  }
}

Status CheckSchemaCurrent(Database& database, int expected_version) {
  static constexpr Statement kHasTable{
      "storage.schema_table_exists", "SELECT to_regclass('schema_migrations') IS NOT NULL"};
  static constexpr Statement kSchemaVersion{
      "storage.schema_version", "SELECT coalesce(max(version), 0) FROM schema_migrations"};
  auto version = database.Transact([](Tx& tx) -> std::int64_t {
    if (!tx.Exec(kHasTable).at(0).Bool(0)) {
      return -1;
    }
    return tx.Exec(kSchemaVersion).at(0).Int(0);
  });
  if (!version) {
    return version.error();
  }
  if (*version < 0) {
    return MakeError(Errc::kConflict, "the database has no schema yet: run `sac migrate`");
  }
  if (*version < expected_version) {
    return MakeError(Errc::kConflict, "the database schema is at version " +
                                             std::to_string(*version) + ", this binary needs " +
                                             std::to_string(expected_version) +
                                             ": run `sac migrate`");
  }
  if (*version > expected_version) {
    return MakeError(Errc::kConflict, "the database schema (version " +
                                             std::to_string(*version) +
                                             ") is newer than this binary (version " +
                                             std::to_string(expected_version) + ")");
  }
  return {};
}

}  // namespace sac::storage
