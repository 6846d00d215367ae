// The host of an http(s) URL ("https://api.telegram.org/bot…" → "api.telegram.org"): media a
// provider serves from its own API host is allowed to come from there.
#pragma once

#include <string>
#include <string_view>

namespace sac::channels {

std::string UrlHost(std::string_view url);

}  // namespace sac::channels
