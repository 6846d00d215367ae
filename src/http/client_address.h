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
// through X-Forwarded-For; the peer itself when it is not trusted. Empty when only trusted
// proxies are named (the proxy sets no header): the client is unknown. IPv4-mapped IPv6
// addresses ("::ffff:10.0.0.5") are read as IPv4.
std::string ClientAddress(const HttpRequest& request, const std::vector<std::string>& trusted_proxies);

// ClientAddress for a log line: "unknown" instead of empty. (An address is the staff's, a
// provider's or an attacker's; citizens reach SAC only through their providers.)
std::string ClientForLog(const HttpRequest& request, const std::vector<std::string>& trusted_proxies);

// Whether the connection's peer is one of `trusted_proxies` (IPv4-mapped spellings included).
bool IsTrustedProxy(const std::string& peer, const std::vector<std::string>& trusted_proxies);

// What to count an address's attempts under: itself, or for IPv6 its /64 (one site's, which it
// may pick addresses from at will).
std::string ThrottlingKey(const std::string& address);

}  // namespace sac::http
