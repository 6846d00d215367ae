// Who sent a request. The connection's peer is the reverse proxy in front of SAC when there is
// one; that proxy names the real client in X-Forwarded-For (appending what it saw to what came).
// Only the entries added by proxies we trust count: everything left of them was written by the
// client and may be anything.
#pragma once

#include <string>
#include <vector>

#include "core/http_message.h"

namespace sac::http {

// The rightmost address that is not one of `trusted_proxies`, walking from the peer leftwards
// through X-Forwarded-For; the peer itself when it is not trusted or there is no such header.
std::string ClientAddress(const HttpRequest& request, const std::vector<std::string>& trusted_proxies);

}  // namespace sac::http
