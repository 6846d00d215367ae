// Sign-in throttling per username: the first few wrong passwords cost nothing; after that each
// try must wait twice as long as the last (2 s, 4 s, 8 s ... at most 15 minutes), counted over
// the last hour. A right password clears the count. Guessing a password online becomes
// hopeless while a person who mistyped is barely slowed.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "storage/database.h"

namespace sac::web {

class LoginThrottle {
 public:
  static constexpr int kFreeFailures = 5;
  static constexpr std::chrono::seconds kWindow{3600};
  static constexpr std::chrono::seconds kMaxWait{900};

  // How long this username must still wait before another try; nullopt when it may try now.
  static std::optional<std::chrono::seconds> WaitFor(storage::Tx& tx, std::string_view username,
                                                     TimePoint now);
  static void RecordFailure(storage::Tx& tx, std::string_view username, TimePoint now);
  static void Clear(storage::Tx& tx, std::string_view username);
};

}  // namespace sac::web
