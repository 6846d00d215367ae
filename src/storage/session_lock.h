// A PostgreSQL session-level advisory lock on a dedicated connection: held for as long as that
// connection lives. Any number of `sac serve` processes try the same key; one holds it (the
// scheduler's leader). If the holder dies, its connection drops, PostgreSQL releases the lock, and
// a standby's next try takes it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace sac::storage {

class SessionLock {
 public:
  SessionLock(std::string connection_string, std::int64_t key);
  ~SessionLock();
  SessionLock(const SessionLock&) = delete;
  SessionLock& operator=(const SessionLock&) = delete;

  // True when this process holds the lock after the call: already held and the connection still
  // answers, or just taken. Never blocks waiting for another holder; a broken connection is
  // dropped (so is the lock) and tried again on the next call.
  bool TryHold();

  // Gives the lock up (closing the connection).
  void Release();

  bool held() const { return held_; }

 private:
  std::string connection_string_;
  std::int64_t key_;
  struct Connection;  // libpqxx stays in the .cc
  std::unique_ptr<Connection> connection_;
  bool held_ = false;
};

}  // namespace sac::storage
