#include "http/client_address.h"

#include <algorithm>
#include <string_view>

namespace sac::http {
namespace {

std::string_view Trimmed(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

}  // namespace

std::string ClientAddress(const HttpRequest& request,
                          const std::vector<std::string>& trusted_proxies) {
  const auto trusted = [&](std::string_view address) {
    return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) != trusted_proxies.end();
  };
  std::string_view client = request.remote_address;
  if (!trusted(client)) return std::string(client);
  // Several X-Forwarded-For fields are one list, in order (RFC 9110 §5.3).
  std::vector<std::string_view> hops;
  for (const auto& [name, value] : request.headers.All()) {
    if (!EqualsIgnoreCase(name, "X-Forwarded-For")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      hops.push_back(Trimmed(rest.substr(0, comma)));
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
  }
  for (auto hop = hops.rbegin(); hop != hops.rend(); ++hop) {
    if (hop->empty()) break;  // a malformed list: trust nothing further left
    client = *hop;
    if (!trusted(client)) break;
  }
  return std::string(client);
}

}  // namespace sac::http
