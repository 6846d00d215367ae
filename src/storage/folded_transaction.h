// FoldedTransaction: a pqxx transaction that spends no round trip of its own on BEGIN, on a NOTIFY
// or on a statement without parameters run only for its effect (a lock). They travel together, as
// one simple query, with the next statement or with the COMMIT:
//
//   BEGIN; EXECUTE "inbox.share_key_lock"          (one round trip)
//   the group's INSERT, with its parameters        (one round trip)
//   NOTIFY "inbox"; COMMIT                         (one round trip)
//
// The group commit's transaction is three round trips instead of five, and every transaction that
// notifies saves one. Each statement of such a string still runs in order with a snapshot of its
// own (READ COMMITTED), so a lock sent ahead is held before the next statement looks at the data.
//
// libpqxx 6.4 has no pipeline mode, so a statement rides along as EXECUTE of what the server has
// already prepared. Only statements without parameters do: a parameter written into the SQL
// would reach PostgreSQL's log with the statement whenever it fails, and parameters are where
// citizens' data is. A statement the connection has not prepared yet goes the usual way, which
// prepares it. Internal to src/storage.
#pragma once

#include <pqxx/pqxx>

#include <string>
#include <string_view>

namespace sac::storage {

class FoldedTransaction final : public pqxx::internal::basic_transaction {
 public:
  explicit FoldedTransaction(pqxx::connection_base& connection);
  ~FoldedTransaction() noexcept override;

  // `EXECUTE "name"` for a statement without parameters the server prepared on this connection.
  std::string ExecuteSql(const std::string& name);

  // Queues SQL to run, its rows unread, ahead of the next statement or the commit; `name` labels
  // errors.
  void SendAhead(std::string sql, std::string_view name) {
    ahead_ += std::move(sql) + "; ";
    ahead_names_ += std::string(name) + " + ";
  }
  // "inbox.share_key_lock + " for what TakeAhead would send: the start of an error's label.
  const std::string& AheadNames() const { return ahead_names_; }

  // What must run before the next statement, in the same round trip: "BEGIN; " until the
  // transaction has begun, then whatever was queued; "" when nothing. Taking it counts the
  // transaction as begun (a failure after this point needs a ROLLBACK).
  std::string TakeAhead();

 private:
  void do_begin() override {}  // BEGIN goes with the first statement (TakeAhead)
  void do_commit() override;
  void do_abort() override;

  bool begun_ = false;
  std::string ahead_;
  std::string ahead_names_;
};

}  // namespace sac::storage
