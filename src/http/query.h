// Query-string access for handlers (percent-decoding with Boost.URL, which stays in query.cc).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"

namespace sac::http {

// Decoded parameters of an application/x-www-form-urlencoded body, in order ('+' is a space).
// Providers that sign every parameter (Twilio) need them all, repeats included.
// kInvalidArgument on malformed escapes or more than `max_parameters`.
Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body,
                                                                   std::size_t max_parameters = 256);

// The application/x-www-form-urlencoded body of `params` (for provider APIs that take forms).
std::string EncodeForm(const std::vector<std::pair<std::string, std::string>>& params);

// Decoded parameters of a raw query string. kInvalidArgument on malformed escapes or a
// parameter given twice (parameter pollution is refused rather than guessed at).
Result<std::map<std::string, std::string, std::less<>>> ParseQuery(std::string_view query);

}  // namespace sac::http
