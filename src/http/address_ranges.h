// A set of IP networks written as CIDR ("10.0.0.0/8", "fd00::/8") or single addresses
// ("127.0.0.1", "::1"): who may reach the operations endpoints (`[http] ops_networks`).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace sac::http {

class AddressRanges {
 public:
  // kInvalidArgument naming the first entry that is not an address or a network (a prefix
  // longer than the address, host bits set, a name instead of an address).
  static Result<AddressRanges> Parse(const std::vector<std::string>& entries);

  // Whether `address` (as http::ClientAddress gives it; IPv4-mapped IPv6 counts as IPv4) is in
  // one of the networks. An empty or unreadable address is in none.
  bool Contains(const std::string& address) const;

 private:
  struct Network {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

}  // namespace sac::http
