// PollingWorkers: N threads that repeat a step while it finds work, and otherwise sleep until
// woken (a NOTIFY arrived) or the poll interval passes. The inbox pipeline and the outbox sender
// are both built on it.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace sac {

// A work queue kept in a table (the inbox, the outbox): how many threads work it, how often they
// look when nothing woke them, and how failed items are retried.
struct QueueSettings {
  int workers = 2;
  std::chrono::milliseconds poll_interval{1000};
  int max_attempts = 5;                          // then the item is given up on
  std::chrono::milliseconds retry_base{2000};    // attempt n waits base·4^(n-1) ...
  std::chrono::milliseconds retry_max{600000};   // ... but never longer than this

  std::chrono::milliseconds Backoff(int attempt) const {
    double wait = static_cast<double>(retry_base.count());
    for (int i = 1; i < attempt && wait < static_cast<double>(retry_max.count()); ++i) {
      wait *= 4;
    }
    return std::min(std::chrono::milliseconds(static_cast<std::int64_t>(wait)), retry_max);
  }
};

class PollingWorkers {
 public:
  // `step` returns true when it did some work (so there may be more right away).
  PollingWorkers(int threads, std::chrono::milliseconds poll_interval, std::function<bool()> step)
      : threads_(threads), poll_interval_(poll_interval), step_(std::move(step)) {}
  ~PollingWorkers() { Stop(); }
  PollingWorkers(const PollingWorkers&) = delete;
  PollingWorkers& operator=(const PollingWorkers&) = delete;

  // Once; Stop() without Start() is fine.
  void Start() {
    for (int i = 0; i < threads_; ++i) {
      workers_.emplace_back([this] { Loop(); });
    }
  }

  // Lets the current steps finish, then joins. Safe to call twice.
  void Stop() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) {
      worker.join();
    }
    workers_.clear();
  }

  // New work may be waiting: one sleeping worker looks now. A wake-up while every worker is
  // busy is remembered, so nobody sleeps through it.
  void Wake() {
    {
      std::lock_guard lock(mutex_);
      wakeups_ = std::min(wakeups_ + 1, threads_);  // one look per worker is enough
    }
    wake_.notify_one();
  }

 private:
  void Loop() {
    for (;;) {
      {
        std::lock_guard lock(mutex_);
        if (stopping_) {
          return;
        }
      }
      if (step_()) {
        continue;
      }
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, poll_interval_, [&] { return stopping_ || wakeups_ > 0; });
      if (wakeups_ > 0) {
        --wakeups_;
      }
    }
  }

  const int threads_;
  const std::chrono::milliseconds poll_interval_;
  const std::function<bool()> step_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int wakeups_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace sac
