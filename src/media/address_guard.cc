#include "media/address_guard.h"

#include <netinet/in.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace sac::media {
namespace {

bool IsPublicIpv4(std::uint32_t a) {  // host byte order
  const auto in = [a](std::uint32_t network, int bits) {
    const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
    return (a & mask) == network;
  };
  return !(in(0x00000000, 8) ||    // "this network"
           in(0x0A000000, 8) ||    // 10/8 private
           in(0x64400000, 10) ||   // 100.64/10 shared (carrier NAT)
           in(0x7F000000, 8) ||    // loopback
           in(0xA9FE0000, 16) ||   // 169.254/16 link-local (cloud metadata lives here)
           in(0xAC100000, 12) ||   // 172.16/12 private
           in(0xC0000000, 24) ||   // 192.0.0/24 protocol assignments
           in(0xC0000200, 24) ||   // 192.0.2/24 documentation
           in(0xC0A80000, 16) ||   // 192.168/16 private
           in(0xC6120000, 15) ||   // 198.18/15 benchmarking
           in(0xC6336400, 24) ||   // 198.51.100/24 documentation
           in(0xCB007100, 24) ||   // 203.0.113/24 documentation
           in(0xE0000000, 4) ||    // multicast
           in(0xF0000000, 4));     // reserved, and 255.255.255.255
}

std::uint32_t Ipv4At(const std::uint8_t* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

bool IsPublicIpv6(const std::uint8_t* b) {
  const auto all_zero = [b](int from, int to) {
    for (int i = from; i < to; ++i) {
      if (b[i] != 0) return false;
    }
    return true;
  };
  if (all_zero(0, 16)) return false;                           // ::
  if (all_zero(0, 15) && b[15] == 1) return false;             // ::1
  if (all_zero(0, 10) && b[10] == 0xFF && b[11] == 0xFF) {     // ::ffff:a.b.c.d
    return IsPublicIpv4(Ipv4At(b + 12));
  }
  if (all_zero(0, 12)) return IsPublicIpv4(Ipv4At(b + 12));    // ::a.b.c.d (deprecated)
  if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && all_zero(4, 12)) {
    return IsPublicIpv4(Ipv4At(b + 12));                       // 64:ff9b::/96 NAT64
  }
  if (b[0] == 0x20 && b[1] == 0x02) return IsPublicIpv4(Ipv4At(b + 2));  // 2002::/16 6to4
  if ((b[0] & 0xFE) == 0xFC) return false;                     // fc00::/7 unique local
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0x80) return false;     // fe80::/10 link-local
  if (b[0] == 0xFE && (b[1] & 0xC0) == 0xC0) return false;     // fec0::/10 site-local (old)
  if (b[0] == 0xFF) return false;                              // multicast
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0D && b[3] == 0xB8) return false;  // documentation
  return (b[0] & 0xE0) == 0x20;                                // only 2000::/3 is global unicast
}

}  // namespace

bool IsPublicAddress(const sockaddr* address) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    sockaddr_in v4;
    std::memcpy(&v4, address, sizeof v4);
    return IsPublicIpv4(ntohl(v4.sin_addr.s_addr));
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 v6;
    std::memcpy(&v6, address, sizeof v6);
    return IsPublicIpv6(v6.sin6_addr.s6_addr);
  }
  return false;  // unix sockets and anything else
}

}  // namespace sac::media
