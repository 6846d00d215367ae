#include "storage/session_lock.h"

#include <pqxx/pqxx>

namespace sac::storage {

struct SessionLock::Connection {
  explicit Connection(const std::string& connection_string) : connection(connection_string) {}
  pqxx::connection connection;
};

SessionLock::SessionLock(std::string connection_string, std::int64_t key)
    : connection_string_(std::move(connection_string)), key_(key) {}

SessionLock::~SessionLock() { Release(); }

bool SessionLock::TryHold() {
  try {
    if (!connection_) {
      held_ = false;
      connection_ = std::make_unique<Connection>(connection_string_);
    }
    pqxx::nontransaction tx(connection_->connection);
    if (held_) {
      tx.exec("SELECT 1");  // still connected: still ours
      return true;
    }
    held_ = tx.exec_params1("SELECT pg_try_advisory_lock($1)", key_)[0].as<bool>();
    return held_;
  } catch (const std::exception&) {
    // The connection broke: if we held the lock, PostgreSQL has released it with the session.
    connection_.reset();
    held_ = false;
    return false;
  }
}

void SessionLock::Release() {
  held_ = false;
  connection_.reset();  // closing the session releases a session-level lock
}

}  // namespace sac::storage
