// JSON string escaping for our own writers (logs, small responses). Invalid UTF-8 becomes U+FFFD
// and every control character is escaped, so one log event always stays one line.
#pragma once

#include <string>
#include <string_view>

namespace sac::json {

// Appends `text` to `out` as a quoted JSON string.
void AppendQuoted(std::string& out, std::string_view text);

std::string Quote(std::string_view text);

}  // namespace sac::json
