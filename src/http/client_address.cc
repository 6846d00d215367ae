#include "http/client_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace sac::http {
namespace {

// One spelling per address: "::ffff:127.0.0.1" is 127.0.0.1 (a dual-stack listener reports IPv4
// peers so). Not an address: as it came.
std::string Canonical(std::string_view text) {
  const std::string address(text);
  in6_addr v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6) == 1 && IN6_IS_ADDR_V4MAPPED(&v6)) {
    char v4[INET_ADDRSTRLEN];
    if (::inet_ntop(AF_INET, &v6.s6_addr[12], v4, sizeof v4) != nullptr) return v4;
  }
  return address;
}

}  // namespace

bool IsTrustedProxy(const std::string& peer, const std::vector<std::string>& trusted_proxies) {
  const std::string address = Canonical(peer);
  return std::any_of(trusted_proxies.begin(), trusted_proxies.end(),
                     [&](const std::string& proxy) { return Canonical(proxy) == address; });
}

std::string ClientAddress(const HttpRequest& request,
                          const std::vector<std::string>& trusted_proxies) {
  const auto trusted = [&](const std::string& address) {
    return IsTrustedProxy(address, trusted_proxies);
  };
  const std::string peer = Canonical(request.remote_address);
  if (!trusted(peer)) return peer;
  // Several X-Forwarded-For fields are one list, in order (RFC 9110 §5.3).
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : request.headers.All()) {
    if (!EqualsIgnoreCase(name, "X-Forwarded-For")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      hops.push_back(TrimOws(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (hop->empty()) break;  // a malformed list: trust nothing further left
    std::string client = Canonical(*hop);
    if (!trusted(client)) return client;
  }
  // Only our own proxies: whoever is behind them is not named (a proxy that does not set the
  // header). Counting them all as one address would let one person lock everyone out.
  return "";
}

std::string ClientForLog(const HttpRequest& request,
                         const std::vector<std::string>& trusted_proxies) {
  const std::string client = ClientAddress(request, trusted_proxies);
  return client.empty() ? "unknown" : client;
}

std::string ThrottlingKey(const std::string& address) {
  in6_addr v6{};
  if (address.find(':') == std::string::npos ||
      ::inet_pton(AF_INET6, address.c_str(), &v6) != 1) {
    return address;
  }
  // One IPv6 site has a /64 to choose addresses from: count the /64.
  char key[64];
  std::snprintf(key, sizeof key, "%x:%x:%x:%x::/64", (v6.s6_addr[0] << 8) | v6.s6_addr[1],
                (v6.s6_addr[2] << 8) | v6.s6_addr[3], (v6.s6_addr[4] << 8) | v6.s6_addr[5],
                (v6.s6_addr[6] << 8) | v6.s6_addr[7]);
  return key;
}

}  // namespace sac::http
