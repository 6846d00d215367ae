// StatementWatchdog: a client-side deadline for database round trips. libpq waits for the server
// without a limit, and the server's own statement_timeout cannot fire when the server itself is
// frozen or unreachable (a stopped host, a black-holed network): one such wait would hold a
// connection — and the webhooks committing on it — for as long as TCP takes to give up, or forever
// on a unix socket. The watchdog shuts down the socket of a round trip past its deadline; libpq
// then fails at once ("server closed the connection") and the caller answers 503.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

namespace sac::storage {

class StatementWatchdog {
 public:
  using Clock = std::chrono::steady_clock;

  StatementWatchdog();
  ~StatementWatchdog();
  StatementWatchdog(const StatementWatchdog&) = delete;
  StatementWatchdog& operator=(const StatementWatchdog&) = delete;

  // Watches `socket` while it lives; past the timeout the socket is shut down (never closed: its
  // owner still closes it). Holds a duplicate descriptor, so the owner may close its own meanwhile.
  class Watch {
   public:
    Watch(StatementWatchdog& watchdog, int socket, Clock::duration timeout);
    ~Watch();
    Watch(const Watch&) = delete;
    Watch& operator=(const Watch&) = delete;
    bool expired() const;  // the deadline passed and the socket was shut down

   private:
    StatementWatchdog& watchdog_;
    int socket_;  // our duplicate of the socket, or -1
    std::uint64_t id_;
  };

  std::uint64_t expirations() const;  // sockets shut down so far

 private:
  struct Entry {
    int socket;
    Clock::time_point deadline;
    bool expired = false;  // shut down (or, without a socket, never to be)
  };
  void Loop();

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::uint64_t, Entry> watched_;  // by id; few at a time (one per pooled connection)
  std::uint64_t next_id_ = 0;
  std::uint64_t expirations_ = 0;
  Clock::time_point wake_at_ = Clock::time_point::min();  // where the loop sleeps towards
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace sac::storage
