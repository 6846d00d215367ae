// Clock: the one source of "now". Injected wherever time matters, so tests step time instead of
// sleeping (tests/support/fake_clock.h).
#pragma once

#include <chrono>

namespace sac {

using TimePoint = std::chrono::system_clock::time_point;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
};

}  // namespace sac
