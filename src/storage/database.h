// Database: a bounded pool of PostgreSQL connections and transactions over named prepared
// statements. libpqxx stays inside src/storage; callers see Tx, Rows and Result.
//
//   constexpr Statement kFindFolio{"boleta.find_by_folio", "SELECT id FROM boleta WHERE folio=$1"};
//   Result<std::int64_t> id = db.Transact([&](Tx& tx) {
//     return tx.Exec(kFindFolio, {folio}).at(0).Int(0);
//   });
//
// Inside Transact, a failing statement aborts the whole transaction: the error comes back as the
// Result, and the body must not catch exceptions from Tx. A body that returns an error Result
// rolls back too. Every connection has synchronous_commit on: a commit is durable when it returns.
// BEGIN costs no round trip of its own when the first statement has no parameters, nor does a
// NOTIFY: they travel with the next statement or the commit (storage/folded_transaction.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/result.h"

namespace pqxx {
class result;
}

namespace sac::storage {

// A named SQL statement; the name labels logs and errors. Names are unique across SAC.
struct Statement {
  const char* name;
  const char* sql;
};

// One statement parameter: NULL or its text form.
class Param {
 public:
  Param(std::nullopt_t) {}
  Param(std::string_view text) : value_(std::string(text)) {}
  Param(const char* text) : value_(std::string(text)) {}
  Param(const std::string& text) : value_(text) {}
  Param(bool value) : value_(value ? "true" : "false") {}
  Param(int value) : value_(std::to_string(value)) {}
  Param(long value) : value_(std::to_string(value)) {}
  Param(long long value) : value_(std::to_string(value)) {}
  Param(double value);
  Param(std::chrono::system_clock::time_point time);  // ISO 8601 in UTC, microseconds
  template <class T>
  Param(const std::optional<T>& value) {
    if (value) {
      value_ = Param(*value).value_;
    }
  }
  // Raw bytes for a bytea column (any bytes, NUL included).
  static Param Bytes(std::string_view raw);

  const std::optional<std::string>& value() const { return value_; }

 private:
  Param() = default;
  std::optional<std::string> value_;
};

// One row of a result; keeps the result alive, so it may outlive the Rows it came from.
class Row {
 public:
  bool IsNull(int column) const;
  std::string Text(int column) const;  // "" for NULL
  std::optional<std::string> OptText(int column) const;
  std::int64_t Int(int column) const;  // 0 for NULL
  std::optional<std::int64_t> OptInt(int column) const;
  double Double(int column) const;
  bool Bool(int column) const;
  std::string Bytes(int column) const;  // bytea decoded

 private:
  friend class Rows;
  Row(std::shared_ptr<const pqxx::result> result, int row) : result_(std::move(result)), row_(row) {}
  std::shared_ptr<const pqxx::result> result_;
  int row_;
};

class Rows {
 public:
  std::size_t size() const;
  bool empty() const { return size() == 0; }
  Row at(std::size_t index) const;  // throws std::out_of_range past the end: aborts the Tx
  Row operator[](std::size_t index) const { return at(index); }
  std::int64_t affected() const;  // rows touched by INSERT/UPDATE/DELETE

 private:
  friend class Tx;
  explicit Rows(std::shared_ptr<const pqxx::result> result) : result_(std::move(result)) {}
  std::shared_ptr<const pqxx::result> result_;
};

struct PooledConnection;

// One open transaction. Not thread-safe; lives only inside Database::Transact.
class Tx {
 public:
  Rows Exec(const Statement& statement, std::initializer_list<Param> params = {});
  Rows Exec(const Statement& statement, const std::vector<Param>& params);
  // Runs `statement` (no parameters) for its effect alone, e.g. a lock: it travels with the next
  // statement, or with the commit, in one round trip, and runs before it; its rows are not read.
  // A failure fails the transaction all the same, reported at that next statement or commit.
  void ExecUnread(const Statement& statement);
  // Queues a NOTIFY on `channel`, sent with the commit; PostgreSQL delivers it only if the
  // transaction commits.
  void Notify(std::string_view channel);
  // Ends the transaction with a rollback even though the body succeeds (nothing worth keeping).
  void RollbackAtEnd() { rollback_ = true; }

 private:
  friend class Database;
  Tx(PooledConnection& connection, void* work) : connection_(connection), work_(work) {}
  bool PreparedByServer(const Statement& statement);
  PooledConnection& connection_;
  void* work_;  // FoldedTransaction (storage/folded_transaction.h), opaque here
  bool rollback_ = false;
};

struct DatabaseSettings {
  std::string url;
  int pool_size = 8;
  std::chrono::milliseconds acquire_timeout{1000};
  std::chrono::seconds connect_timeout{3};
  std::chrono::milliseconds statement_timeout{10000};
};

class Database {
 public:
  explicit Database(DatabaseSettings settings);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs `body` in one transaction and commits if it returns normally (or an ok Result).
  // Errors: kUnavailable (no connection, connection lost, server shutting down), kTimeout (pool
  // exhausted within acquire_timeout, statement timeout), kConflict (unique violation),
  // kInternal (anything else, including exceptions thrown by the body).
  template <class F>
  auto Transact(F&& body);

  // SELECT 1 on a pooled connection.
  Status Ping();

  const DatabaseSettings& settings() const { return settings_; }

  // The libpq connection string with SAC's connection options added (connect_timeout,
  // application_name). Exposed for the LISTEN connection and tests.
  static std::string ConnectionString(const DatabaseSettings& settings);

 private:
  Status Run(const std::function<Status(Tx&)>& body);

  struct Pool;
  DatabaseSettings settings_;
  std::unique_ptr<Pool> pool_;
};

namespace internal {
template <class T>
struct ResultValue {
  using type = T;
  static constexpr bool kIsResult = false;
};
template <class T>
struct ResultValue<boost::system::result<T, Error>> {
  using type = T;
  static constexpr bool kIsResult = true;
};
}  // namespace internal

template <class F>
auto Database::Transact(F&& body) {
  using Returned = std::invoke_result_t<F&, Tx&>;
  using Traits = internal::ResultValue<Returned>;
  using Value = typename Traits::type;
  if constexpr (std::is_void_v<Value>) {
    return Run([&](Tx& tx) -> Status {
      if constexpr (Traits::kIsResult) {
        return body(tx);
      } else {
        body(tx);
        return {};
      }
    });
  } else {
    std::optional<Value> value;
    Status status = Run([&](Tx& tx) -> Status {
      value.reset();  // a retried transaction starts afresh
      if constexpr (Traits::kIsResult) {
        Returned returned = body(tx);
        if (!returned) {
          return returned.error();
        }
        value.emplace(std::move(*returned));
      } else {
        value.emplace(body(tx));
      }
      return {};
    });
    if (!status) {
      return Result<Value>(status.error());
    }
    return Result<Value>(std::move(*value));
  }
}

}  // namespace sac::storage
