// Sign-in throttling, per username and per source address: the first few wrong passwords cost
// nothing; after that each try must wait twice as long as the last (2 s, 4 s, 8 s ... at most 15
// minutes), counted over the last hour. A right password clears its username's count. Guessing
// one account's password online becomes hopeless while a person who mistyped is barely slowed;
// the per-source count (more generous: an office may share one address) slows guesses spread
// over many usernames.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

#include "core/clock.h"
#include "storage/database.h"
#include "web/trusted_devices.h"

namespace sac::web {

class LoginThrottle {
 public:
  static constexpr int kFreeFailures = 5;
  static constexpr int kFreeFailuresPerSource = 30;
  static constexpr std::chrono::seconds kWindow{3600};
  static constexpr std::chrono::seconds kMaxWait{900};

  // How long a try for this username from this source must still wait; nullopt when it may try
  // now. An empty source (unknown) is not counted. Holds the username's lock until the
  // transaction ends, so call it first and record the failure in the same transaction.
  // `device`: the browser vouching for the username (TrustedDevices::Vouching); checked again
  // under the lock and cleared when it no longer vouches. While it does, the try never waits.
  static std::optional<std::chrono::seconds> WaitFor(storage::Tx& tx, std::string_view username,
                                                     std::string_view source, TimePoint now,
                                                     std::optional<TrustedDevice>& device);
  static std::optional<std::chrono::seconds> WaitFor(storage::Tx& tx, std::string_view username,
                                                     std::string_view source, TimePoint now) {
    std::optional<TrustedDevice> none;
    return WaitFor(tx, username, source, now, none);
  }
  // A wrong password or code: counted against the vouching browser alone when there is one.
  static void RecordFailure(storage::Tx& tx, std::string_view username, std::string_view source,
                            TimePoint now, const std::optional<TrustedDevice>& device = {});
  static void Clear(storage::Tx& tx, std::string_view username);
};

}  // namespace sac::web
