// Forward-only schema migrations: numbered SQL files (migrations/NNNN_concern.sql), each applied
// once in its own transaction and recorded in schema_migrations with a checksum. A session
// advisory lock keeps two processes from migrating at once; the second waits, then finds nothing
// left to do. A landed file must never change: a checksum mismatch stops everything.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "storage/migration_source.h"

namespace sac::storage {

struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
  std::string checksum;  // SHA-256 of the SQL, hex
};

struct MigrationPlan {
  std::vector<Migration> applied;
  std::vector<Migration> pending;
};

// Parses and orders the files; rejects bad names and duplicate versions.
Result<std::vector<Migration>> LoadMigrations(const std::vector<MigrationFile>& files);

class Migrator {
 public:
  Migrator(std::string connection_string, std::vector<Migration> migrations);

  // What is applied and what is pending, without changing anything (--dry-run).
  Result<MigrationPlan> Plan();

  // Applies every pending migration; returns the ones applied now.
  Result<std::vector<Migration>> Apply();

  // The highest version this binary knows.
  int ExpectedVersion() const;

 private:
  std::string connection_string_;
  std::vector<Migration> migrations_;
};

class Database;

// Used by /readyz and `sac serve`: kUnavailable/kTimeout when the database cannot be reached,
// kConflict when its schema is missing, behind or ahead of this binary (the message says which).
Status CheckSchemaCurrent(Database& database, int expected_version);

}  // namespace sac::storage
