#include "http/client_address.h"

#include <gtest/gtest.h>

namespace sac::http {
namespace {

HttpRequest From(const std::string& peer, std::vector<std::string> forwarded = {}) {
  HttpRequest request;
  request.remote_address = peer;
  for (std::string& value : forwarded) request.headers.Add("X-Forwarded-For", std::move(value));
  return request;
}

const std::vector<std::string> kProxy = {"127.0.0.1", "10.0.0.5"};

TEST(ClientAddressTest, AnUntrustedPeerIsTheClientWhateverItSays) {
  EXPECT_EQ(ClientAddress(From("203.0.113.7", {"198.51.100.1"}), kProxy), "203.0.113.7");
  EXPECT_EQ(ClientAddress(From("203.0.113.7"), {}), "203.0.113.7");
}

TEST(ClientAddressTest, BehindTrustedProxiesItIsTheRightmostAddressTheyDidNotAdd) {
  EXPECT_EQ(ClientAddress(From("127.0.0.1", {"203.0.113.7"}), kProxy), "203.0.113.7");
  // The client wrote "1.2.3.4" itself; our proxies appended what they saw.
  EXPECT_EQ(ClientAddress(From("127.0.0.1", {"1.2.3.4, 203.0.113.7, 10.0.0.5"}), kProxy),
            "203.0.113.7");
  EXPECT_EQ(ClientAddress(From("127.0.0.1", {"1.2.3.4", "203.0.113.7 , 10.0.0.5"}), kProxy),
            "203.0.113.7")
      << "several fields are one list";
  EXPECT_EQ(ClientAddress(From("127.0.0.1"), kProxy), "")
      << "no header: unknown, never every client counted as the proxy";
  EXPECT_EQ(ClientAddress(From("127.0.0.1", {"10.0.0.5"}), kProxy), "") << "only our proxies";
  EXPECT_EQ(ClientAddress(From("127.0.0.1", {"203.0.113.7,,10.0.0.5"}), kProxy), "")
      << "a malformed list: nothing left of the gap is believed";
  EXPECT_EQ(ClientAddress(From("::ffff:127.0.0.1", {"::ffff:203.0.113.7"}), kProxy), "203.0.113.7")
      << "IPv4-mapped peers and hops read as IPv4";
}

TEST(ClientAddressTest, AProxyListedInIPv4MappedFormIsTheSameProxy) {
  EXPECT_EQ(ClientAddress(From("10.0.0.5", {"203.0.113.7"}), {"::ffff:10.0.0.5"}), "203.0.113.7");
}

TEST(ClientAddressTest, IPv6AddressesCountByTheirSlash64) {
  EXPECT_EQ(ThrottlingKey("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
  EXPECT_EQ(ThrottlingKey("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
  EXPECT_EQ(ThrottlingKey("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(ThrottlingKey(""), "");
}

}  // namespace
}  // namespace sac::http
