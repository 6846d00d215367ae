// Result<T>: how expected failures cross module boundaries in SAC.
//
// A thin alias over boost::system::result (the image's clang cannot parse <expected>), with a
// short canonical error vocabulary. Error messages never carry citizen data, tokens or secrets:
// they end up in logs and in HTTP answers.
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <utility>

namespace sac {

enum class Errc {
  kInvalidArgument,  // the caller's input is wrong (bad config value, malformed payload)
  kUnauthenticated,  // a webhook signature or secret did not verify
  kPermissionDenied,  // authenticated, but this actor may not do this
  kNotFound,
  kConflict,         // a uniqueness or state rule refused the change
  kStale,            // the caller decided on a version of the data that has changed since
  kUnavailable,      // the database or a provider is down: retry later
  kTimeout,          // waited too long (pool exhausted, deadline passed)
  kInternal,         // a bug or an unexpected failure
};

struct Error {
  Errc code = Errc::kInternal;
  std::string message;
};

template <class T>
using Result = boost::system::result<T, Error>;
using Status = Result<void>;

inline Error MakeError(Errc code, std::string message) { return Error{code, std::move(message)}; }

// The name of an error code, for logs and metrics labels.
const char* ErrcName(Errc code);

}  // namespace sac
