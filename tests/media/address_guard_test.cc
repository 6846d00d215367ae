#include "media/address_guard.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>

namespace sac::media {
namespace {

bool Public(const std::string& text) {
  sockaddr_in6 v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6.sin6_addr) == 1) {
    v6.sin6_family = AF_INET6;
    return IsPublicAddress(reinterpret_cast<const sockaddr*>(&v6));
  }
  sockaddr_in v4{};
  EXPECT_EQ(inet_pton(AF_INET, text.c_str(), &v4.sin_addr), 1) << text;
  v4.sin_family = AF_INET;
  return IsPublicAddress(reinterpret_cast<const sockaddr*>(&v4));
}

TEST(AddressGuardTest, RefusesEveryNonPublicAddress) {
  for (const char* address :
       {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.10",
        "169.254.169.254", "100.64.0.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "240.0.0.1",
        "192.0.2.1", "198.18.0.1", "::", "::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254",
        "::127.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:0001::", "fc00::1", "fd12:3456::1",
        "fe80::1", "ff02::1", "2001:db8::1"}) {
    EXPECT_FALSE(Public(address)) << address;
  }
}

TEST(AddressGuardTest, AllowsPublicAddresses) {
  for (const char* address : {"157.240.22.35", "8.8.8.8", "172.32.0.1", "100.128.0.1",
                              "2a03:2880:f12f:83:face:b00c::25de", "::ffff:157.240.22.35",
                              "2002:9df0:1623::"}) {
    EXPECT_TRUE(Public(address)) << address;
  }
}

TEST(AddressGuardTest, RefusesWhatIsNotAnInternetAddress) {
  sockaddr unix_address{};
  unix_address.sa_family = AF_UNIX;
  EXPECT_FALSE(IsPublicAddress(&unix_address));
  EXPECT_FALSE(IsPublicAddress(nullptr));
}

}  // namespace
}  // namespace sac::media
