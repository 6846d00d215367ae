// Query-string access for handlers (percent-decoding with Boost.URL, which stays in query.cc).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sac::http {

// Decoded parameters of a raw query string. kInvalidArgument on malformed escapes or a
// parameter given twice (parameter pollution is refused rather than guessed at).
Result<std::map<std::string, std::string, std::less<>>> ParseQuery(std::string_view query);

}  // namespace sac::http
