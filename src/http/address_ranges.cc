#include "http/address_ranges.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

namespace sac::http {
namespace {

struct Address {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
};

// inet_pton's strict spellings only: "127.1" or "0x7f000001" are not addresses here.
std::optional<Address> ReadAddress(const std::string& text) {
  Address address;
  in_addr v4{};
  if (::inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    std::memcpy(address.bytes.data(), &v4, 4);
    return address;
  }
  in6_addr v6{};
  if (::inet_pton(AF_INET6, text.c_str(), &v6) != 1) return std::nullopt;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {  // a dual-stack listener's IPv4 peer
    std::memcpy(address.bytes.data(), &v6.s6_addr[12], 4);
    return address;
  }
  address.v6 = true;
  std::memcpy(address.bytes.data(), v6.s6_addr, 16);
  return address;
}

bool SamePrefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b,
                int prefix) {
  const int whole = prefix / 8;
  if (!std::equal(a.begin(), a.begin() + whole, b.begin())) return false;
  const int rest = prefix % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - rest));
  return (a[static_cast<std::size_t>(whole)] & mask) == (b[static_cast<std::size_t>(whole)] & mask);
}

}  // namespace

Result<AddressRanges> AddressRanges::Parse(const std::vector<std::string>& entries) {
  AddressRanges ranges;
  for (const std::string& entry : entries) {
    const auto slash = entry.find('/');
    const std::string written = entry.substr(0, slash);
    const auto address = ReadAddress(written);
    // "::ffff:10.0.0.0/104" is 10.0.0.0/8: its prefix counts the 96 bits before the IPv4 part.
    const bool mapped = address && !address->v6 && written.find(':') != std::string::npos;
    const int width = address && address->v6 ? 128 : 32;
    const int written_width = mapped ? 128 : width;
    int prefix = written_width;
    bool readable = address.has_value();
    if (readable && slash != std::string::npos) {
      const char* first = entry.data() + slash + 1;
      const char* last = entry.data() + entry.size();
      const auto [end, error] = std::from_chars(first, last, prefix);
      readable = first != last && error == std::errc() && end == last &&
                 prefix >= written_width - width && prefix <= written_width;
    }
    prefix -= written_width - width;
    if (!readable) {
      return MakeError(Errc::kInvalidArgument,
                       "\"" + entry + "\" is not an address or a network like 10.0.0.0/8");
    }
    Network network{address->v6, address->bytes, prefix};
    for (int bit = prefix; bit < width; ++bit) {
      if ((network.bytes[static_cast<std::size_t>(bit / 8)] >> (7 - bit % 8)) & 1) {
        return MakeError(Errc::kInvalidArgument,
                         "\"" + entry + "\" has bits set after its /" + std::to_string(prefix) +
                             " (write the network's first address)");
      }
    }
    ranges.networks_.push_back(network);
  }
  return ranges;
}

bool AddressRanges::Contains(const std::string& text) const {
  const auto address = ReadAddress(text);
  if (!address) return false;
  return std::any_of(networks_.begin(), networks_.end(), [&](const Network& network) {
    return network.v6 == address->v6 && SamePrefix(network.bytes, address->bytes, network.prefix);
  });
}

}  // namespace sac::http
