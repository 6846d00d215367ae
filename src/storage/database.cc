#include "storage/database.h"

#include <pqxx/pqxx>

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <mutex>
#include <set>
#include <type_traits>

#include "core/time_format.h"
#include "observability/log.h"
#include "storage/folded_transaction.h"
#include "storage/statement_watchdog.h"

namespace sac::storage {

struct PooledConnection {
  std::unique_ptr<pqxx::connection> connection;
  std::set<std::string, std::less<>> prepared;         // defined to libpqxx
  std::set<std::string, std::less<>> server_prepared;  // parsed by the server: EXECUTE may name it
  // The server session this connection opened. libpqxx 6.4 reconnects by itself when a statement
  // (even the ROLLBACK after a failure) finds the connection broken; such a session has none of
  // our settings and none of our prepared statements, so it is never pooled.
  int session_pid = 0;
  std::string last_statement;  // what the last round trip ran, for errors: names only
  StatementWatchdog* watchdog = nullptr;
  std::chrono::milliseconds deadline{0};  // of one round trip: statement_timeout and a margin
  bool cut = false;  // the watchdog shut its socket down: never to be pooled again
};

namespace {

// A round trip cut off by the watchdog (the server did not answer in time).
struct DeadlineExceeded : std::runtime_error {
  DeadlineExceeded() : std::runtime_error("the database did not answer in time") {}
};

// Runs one round trip with the server under the connection's deadline. A round trip carrying
// several statements (storage/folded_transaction.h) gets the same deadline, not one per
// statement: those sent ahead are a BEGIN, a lock or a NOTIFY, and a webhook waiting for a
// silent server must hear 503 in bounded time (the ledger's frozen-cluster test).
template <typename F>
auto WithDeadline(PooledConnection& connection, F&& round_trip) {
  StatementWatchdog::Watch watch(*connection.watchdog, connection.connection->sock(),
                                 connection.deadline);
  try {
    auto finish = [&] { connection.cut = connection.cut || watch.expired(); };
    if constexpr (std::is_void_v<decltype(round_trip())>) {
      round_trip();
      finish();  // the answer came just as the deadline passed: the socket is shut all the same
    } else {
      auto result = round_trip();
      finish();
      return result;
    }
  } catch (const std::exception&) {
    if (watch.expired()) {
      connection.cut = true;
      throw DeadlineExceeded();
    }
    throw;
  }
}

const log::Logger& Log() {
  static const log::Logger logger("storage");
  return logger;
}

FoldedTransaction& Work(void* work) { return *static_cast<FoldedTransaction*>(work); }

// EXECUTE names a statement by SQL identifier, which PostgreSQL cuts at 63 bytes.
constexpr std::size_t kMaxIdentifier = 63;

bool IsUri(std::string_view url) {
  return url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0;
}

// SQLSTATE classes that mean "the server cannot take this now"; the caller answers 503.
bool IsUnavailableState(std::string_view state) {
  return state.rfind("08", 0) == 0 ||   // connection exception
         state.rfind("53", 0) == 0 ||   // insufficient resources (too many connections, disk full)
         state.rfind("57P", 0) == 0 ||  // admin/crash shutdown, cannot connect now
         state == "25006";              // read-only transaction (a standby)
}

bool IsRetryableState(std::string_view state) {
  return state == "40001" || state == "40P01";  // serialization failure, deadlock
}

}  // namespace

// --- Param ----------------------------------------------------------------------------------

Param::Param(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  value_ = buffer;
}

Param::Param(std::chrono::system_clock::time_point time) : value_(FormatUtc(time)) {}

Param Param::Bytes(std::string_view raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text = "\\x";
  text.reserve(2 + raw.size() * 2);
  for (const char c : raw) {
    const auto byte = static_cast<unsigned char>(c);
    text.push_back(kHex[byte >> 4]);
    text.push_back(kHex[byte & 0xF]);
  }
  Param param;
  param.value_ = std::move(text);
  return param;
}

// --- Row and Rows -----------------------------------------------------------------------------

bool Row::IsNull(int column) const { return (*result_)[row_][column].is_null(); }

std::string Row::Text(int column) const {
  const pqxx::field field = (*result_)[row_][column];
  return field.is_null() ? std::string() : std::string(field.c_str(), field.size());
}

std::optional<std::string> Row::OptText(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Text(column);
}

std::int64_t Row::Int(int column) const {
  const pqxx::field field = (*result_)[row_][column];
  return field.is_null() ? 0 : field.as<std::int64_t>();
}

std::optional<std::int64_t> Row::OptInt(int column) const {
  if (IsNull(column)) {
    return std::nullopt;
  }
  return Int(column);
}

double Row::Double(int column) const {
  const pqxx::field field = (*result_)[row_][column];
  return field.is_null() ? 0.0 : field.as<double>();
}

bool Row::Bool(int column) const {
  const pqxx::field field = (*result_)[row_][column];
  return !field.is_null() && field.as<bool>();
}

std::string Row::Bytes(int column) const {
  const pqxx::field field = (*result_)[row_][column];
  return field.is_null() ? std::string() : pqxx::binarystring(field).str();
}

std::size_t Rows::size() const { return result_->size(); }

Row Rows::at(std::size_t index) const {
  if (index >= result_->size()) {
    throw std::out_of_range("row index past the end of the result");
  }
  return Row(result_, static_cast<int>(index));
}

std::int64_t Rows::affected() const { return static_cast<std::int64_t>(result_->affected_rows()); }

// --- Tx -------------------------------------------------------------------------------------

Rows Tx::Exec(const Statement& statement, std::initializer_list<Param> params) {
  return Exec(statement, std::vector<Param>(params));
}

Rows Tx::Exec(const Statement& statement, const std::vector<Param>& params) {
  FoldedTransaction& work = Work(work_);
  connection_.last_statement = work.AheadNames() + statement.name;
  const std::string ahead = work.TakeAhead();
  if (!ahead.empty() && params.empty() && PreparedByServer(statement)) {
    const std::string sql = ahead + work.ExecuteSql(statement.name);  // one round trip for all
    return Rows(std::make_shared<const pqxx::result>(
        WithDeadline(connection_, [&] { return work.exec(sql); })));
  }
  if (!ahead.empty()) {
    WithDeadline(connection_, [&] { work.exec(ahead); });
  }
  if (!connection_.prepared.contains(std::string_view(statement.name))) {
    WithDeadline(connection_, [&] { connection_.connection->prepare(statement.name, statement.sql); });
    connection_.prepared.insert(statement.name);
  }
  std::vector<std::optional<std::string>> values;
  values.reserve(params.size());
  for (const Param& param : params) {
    values.push_back(param.value());
  }
  auto result = std::make_shared<const pqxx::result>(WithDeadline(connection_, [&] {
    return work.exec_prepared(statement.name, pqxx::prepare::make_dynamic_params(values));
  }));
  connection_.server_prepared.emplace(statement.name);  // libpqxx prepared it on first use
  return Rows(std::move(result));
}

void Tx::ExecUnread(const Statement& statement) {
  if (PreparedByServer(statement)) {
    Work(work_).SendAhead(Work(work_).ExecuteSql(statement.name), statement.name);
  } else {
    Exec(statement);  // prepares it; from then on it travels with the next statement
  }
}

bool Tx::PreparedByServer(const Statement& statement) {
  if (connection_.connection->backendpid() != connection_.session_pid) {
    return false;  // libpqxx reconnected: nothing is prepared there (and it is not pooled again)
  }
  return std::char_traits<char>::length(statement.name) <= kMaxIdentifier &&
         connection_.server_prepared.contains(std::string_view(statement.name));
}

void Tx::Notify(std::string_view channel) {
  Work(work_).SendAhead("NOTIFY " + connection_.connection->quote_name(std::string(channel)),
                        "storage.notify");
}

// --- Pool -------------------------------------------------------------------------------------

struct Database::Pool {
  explicit Pool(const DatabaseSettings& s) : settings(s), connection_string(ConnectionString(s)) {}

  // A connection for one transaction, or kTimeout/kUnavailable.
  Result<std::unique_ptr<PooledConnection>> Acquire() {
    std::unique_lock lock(mutex);
    const bool got = available.wait_for(lock, settings.acquire_timeout, [&] {
      return !idle.empty() || open < settings.pool_size;
    });
    if (!got) {
      return MakeError(Errc::kTimeout, "database pool exhausted");
    }
    if (!idle.empty()) {
      auto connection = std::move(idle.front());
      idle.pop_front();
      return connection;
    }
    ++open;
    lock.unlock();
    auto connection = Connect();
    if (!connection) {
      Discard();
    }
    return connection;
  }

  void Release(std::unique_ptr<PooledConnection> connection) {
    if (connection->cut || !connection->connection->is_open() ||
        connection->connection->backendpid() != connection->session_pid) {
      Discard();
      return;
    }
    {
      std::lock_guard lock(mutex);
      idle.push_back(std::move(connection));
    }
    available.notify_one();
  }

  // Forget a broken connection; its slot may be reopened by the next Acquire.
  void Discard() {
    {
      std::lock_guard lock(mutex);
      --open;
    }
    available.notify_one();
  }

  Result<std::unique_ptr<PooledConnection>> Connect() {
    try {
      auto pooled = std::make_unique<PooledConnection>();
      pooled->connection = std::make_unique<pqxx::connection>(connection_string);  // connect_timeout
      pooled->watchdog = &watchdog;
      pooled->deadline = settings.statement_timeout + kDeadlineMargin;
      pooled->session_pid = pooled->connection->backendpid();
      WithDeadline(*pooled, [&] {
        pqxx::nontransaction setup(*pooled->connection);
        setup.exec("SET synchronous_commit = on");  // an acknowledged webhook must be durable
        setup.exec("SET TIME ZONE 'UTC'");
        setup.exec("SET statement_timeout = " + std::to_string(settings.statement_timeout.count()));
        setup.commit();
      });
      return pooled;
    } catch (const std::exception& error) {
      // libpq's message can name the host and user, never the password; keep it at debug.
      Log().Debug("connection attempt failed", {{"error", error.what()}});
      return MakeError(Errc::kUnavailable, "cannot connect to the database");
    }
  }

  // The server's statement_timeout answers first whenever the server can answer at all — for a
  // round trip of one statement; one that also carries a lock sent ahead may be cut here first
  // if the lock waited long (rare: only an ARCO key rewrite takes it exclusively).
  static constexpr std::chrono::milliseconds kDeadlineMargin{1000};

  const DatabaseSettings& settings;
  const std::string connection_string;
  StatementWatchdog watchdog;
  std::mutex mutex;
  std::condition_variable available;
  std::deque<std::unique_ptr<PooledConnection>> idle;
  int open = 0;
};

// --- Database ---------------------------------------------------------------------------------

Database::Database(DatabaseSettings settings)
    : settings_(std::move(settings)), pool_(std::make_unique<Pool>(settings_)) {}

Database::~Database() = default;

std::string Database::ConnectionString(const DatabaseSettings& settings) {
  const std::string timeout = std::to_string(settings.connect_timeout.count());
  // "sac" names our sessions in pg_stat_activity, unless the URL names them (one name per
  // instance, when several run on one database).
  const bool named = settings.url.find("application_name") != std::string::npos;
  if (IsUri(settings.url)) {
    const char separator = settings.url.find('?') == std::string::npos ? '?' : '&';
    return settings.url + separator + "connect_timeout=" + timeout +
           (named ? "" : "&application_name=sac");
  }
  return settings.url + " connect_timeout=" + timeout + (named ? "" : " application_name=sac");
}

Status Database::Run(const std::function<Status(Tx&)>& body) {
  constexpr int kMaxAttempts = 3;
  for (int attempt = 1;; ++attempt) {
    auto acquired = pool_->Acquire();
    if (!acquired) {
      return acquired.error();
    }
    std::unique_ptr<PooledConnection> connection = std::move(*acquired);
    bool committing = false;
    Error error;
    bool retry = false;
    std::unique_ptr<FoldedTransaction> work;
    try {
      work = std::make_unique<FoldedTransaction>(*connection->connection);  // sends nothing yet
      Tx tx(*connection, work.get());
      Status status = body(tx);
      if (!status || tx.rollback_) {
        WithDeadline(*connection, [&] { work->abort(); });
        work.reset();
        pool_->Release(std::move(connection));
        return status;
      }
      committing = true;
      connection->last_statement = work->AheadNames() + "storage.commit";
      WithDeadline(*connection, [&] { work->commit(); });
      work.reset();
      pool_->Release(std::move(connection));
      return {};
    } catch (const DeadlineExceeded&) {
      // The socket is shut down: the connection is dropped, and nothing is retried (the server
      // is not answering; a commit cut off may or may not have happened).
      error = MakeError(Errc::kTimeout, committing ? "no answer to the commit in time; outcome unknown"
                                                   : "the database did not answer in time");
    } catch (const pqxx::in_doubt_error&) {
      error = MakeError(Errc::kUnavailable, "connection lost during commit; outcome unknown");
    } catch (const pqxx::broken_connection&) {
      // Nothing was committed; a stale pooled connection (server restarted) deserves one more try.
      retry = !committing;
      error = MakeError(Errc::kUnavailable, "database connection lost");
    } catch (const pqxx::sql_error& failure) {
      const std::string state = failure.sqlstate();
      Log().Debug("statement failed", {{"statement", connection->last_statement},
                                       {"sqlstate", state}, {"error", failure.what()}});
      // Only the statement name and SQLSTATE: PostgreSQL's text can quote citizen data.
      std::string what = std::string("statement ") + connection->last_statement +
                         " failed (sqlstate " + state + ")";
      if (IsRetryableState(state)) {
        retry = true;
        error = MakeError(Errc::kUnavailable, what);
      } else if (IsUnavailableState(state)) {
        error = MakeError(Errc::kUnavailable, what);
      } else if (state == "57014") {
        error = MakeError(Errc::kTimeout, what);
      } else if (state == "23505") {
        error = MakeError(Errc::kConflict, what);
      } else {
        error = MakeError(Errc::kInternal, what);
      }
    } catch (const std::exception& failure) {
      error = MakeError(Errc::kInternal, std::string("transaction failed: ") + failure.what());
    }
    try {
      // Its rollback is a round trip too (pqxx sends it when the transaction is destroyed).
      WithDeadline(*connection, [&] { work.reset(); });
    } catch (const std::exception&) {
      work.reset();  // the socket is shut down: nothing left to send
    }
    pool_->Release(std::move(connection));
    if (!retry || attempt >= kMaxAttempts) {
      return error;
    }
  }
}

Status Database::Ping() {
  static constexpr Statement kPing{"storage.ping", "SELECT 1"};
  return Transact([](Tx& tx) { tx.Exec(kPing); });
}

}  // namespace sac::storage
