// A Clock tests set and step by hand.
#pragma once

#include <chrono>
#include <mutex>

#include "core/clock.h"

namespace sac::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start = std::chrono::system_clock::now()) : now_(start) {}

  TimePoint Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void Advance(std::chrono::milliseconds step) {
    std::lock_guard lock(mutex_);
    now_ += step;
  }
  void Set(TimePoint now) {
    std::lock_guard lock(mutex_);
    now_ = now;
  }

 private:
  mutable std::mutex mutex_;
  TimePoint now_;
};

}  // namespace sac::testing
