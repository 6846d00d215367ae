#include "storage/folded_transaction.h"

namespace sac::storage {

FoldedTransaction::FoldedTransaction(pqxx::connection_base& connection)
    : pqxx::internal::namedclass("FoldedTransaction"),
      pqxx::internal::basic_transaction(connection, "READ COMMITTED", pqxx::read_write) {
  Begin();  // pqxx's bookkeeping only: do_begin sends nothing
}

FoldedTransaction::~FoldedTransaction() noexcept { End(); }

std::string FoldedTransaction::ExecuteSql(const std::string& name) {
  return "EXECUTE " + conn().quote_name(name);
}

std::string FoldedTransaction::TakeAhead() {
  std::string sql = begun_ ? std::string() : std::string("BEGIN; ");
  sql += ahead_;
  ahead_.clear();
  ahead_names_.clear();
  begun_ = true;
  return sql;
}

void FoldedTransaction::do_commit() {
  if (!begun_ && ahead_.empty()) {
    return;  // nothing ran: the server never heard of this transaction
  }
  const bool sent_ahead = !ahead_.empty();
  const std::string sql = TakeAhead() + "COMMIT";
  try {
    direct_exec(sql.c_str());
  } catch (const pqxx::statement_completion_unknown& unknown) {
    throw pqxx::in_doubt_error(unknown.what());
  } catch (const std::exception& failure) {
    if (!conn().is_open()) {
      throw pqxx::in_doubt_error(failure.what());  // lost while committing: outcome unknown
    }
    if (sent_ahead) {
      // A statement ahead of the COMMIT failed, so the COMMIT never ran and the transaction is
      // still open (aborted): end it, or the connection would go back to the pool inside it. Had
      // the COMMIT itself failed, the server has ended it already and this draws only a warning.
      try {
        direct_exec("ROLLBACK");
      } catch (const std::exception&) {
        // the connection is broken: the pool drops it
      }
    }
    throw;
  }
}

void FoldedTransaction::do_abort() {
  reactivation_avoidance_clear();
  ahead_.clear();
  ahead_names_.clear();
  if (begun_) {
    direct_exec("ROLLBACK");
  }
}

}  // namespace sac::storage
