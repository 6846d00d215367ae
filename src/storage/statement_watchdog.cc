#include "storage/statement_watchdog.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

#include "observability/log.h"

namespace sac::storage {
namespace {

const log::Logger& Log() {
  static const log::Logger logger("storage");
  return logger;
}

}  // namespace

StatementWatchdog::StatementWatchdog() : thread_([this] { Loop(); }) {}

StatementWatchdog::~StatementWatchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

StatementWatchdog::Watch::Watch(StatementWatchdog& watchdog, int socket, Clock::duration timeout)
    : watchdog_(watchdog),
      // A descriptor of our own for the same socket: if libpq closes its own meanwhile (the server
      // hung up), the number cannot be reused by someone else's socket before we are done.
      socket_(::fcntl(socket, F_DUPFD_CLOEXEC, 0)) {
  bool sooner;
  {
    std::lock_guard lock(watchdog_.mutex_);
    id_ = watchdog_.next_id_++;
    const Clock::time_point deadline = Clock::now() + timeout;
    // Without a descriptor (none left) the round trip goes unwatched rather than failing.
    watchdog_.watched_.emplace(id_, Entry{socket_, deadline, socket_ < 0});
    sooner = deadline < watchdog_.wake_at_;
  }
  // Only a deadline before the one the watchdog sleeps towards needs waking it (a round trip
  // costs no wake-up while others are watched: their deadlines come first).
  if (sooner) watchdog_.changed_.notify_one();
}

StatementWatchdog::Watch::~Watch() {
  {
    std::lock_guard lock(watchdog_.mutex_);
    watchdog_.watched_.erase(id_);
  }
  if (socket_ >= 0) ::close(socket_);
}

bool StatementWatchdog::Watch::expired() const {
  std::lock_guard lock(watchdog_.mutex_);
  const auto found = watchdog_.watched_.find(id_);
  return found != watchdog_.watched_.end() && found->second.expired && socket_ >= 0;
}

std::uint64_t StatementWatchdog::expirations() const {
  std::lock_guard lock(mutex_);
  return expirations_;
}

void StatementWatchdog::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto earliest = Clock::time_point::max();
    for (const auto& [id, entry] : watched_) {
      if (!entry.expired) earliest = std::min(earliest, entry.deadline);
    }
    wake_at_ = earliest;
    if (earliest == Clock::time_point::max()) {
      changed_.wait(lock);
      continue;
    }
    changed_.wait_until(lock, earliest);
    wake_at_ = Clock::time_point::min();  // awake: nobody needs to wake it
    const auto now = Clock::now();
    for (auto& [id, entry] : watched_) {
      if (!entry.expired && entry.deadline <= now) {
        // Under the lock: the Watch (and so the socket) cannot go away meanwhile.
        ::shutdown(entry.socket, SHUT_RDWR);
        entry.expired = true;
        ++expirations_;
        Log().Warn("the database did not answer in time; connection cut", {});
      }
    }
  }
}

}  // namespace sac::storage
