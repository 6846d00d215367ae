#include "http/address_ranges.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sac::http {
namespace {

using ::testing::HasSubstr;

AddressRanges Ranges(const std::vector<std::string>& entries) {
  auto ranges = AddressRanges::Parse(entries);
  EXPECT_TRUE(ranges) << ranges.error().message;
  return ranges ? *ranges : AddressRanges();
}

TEST(AddressRangesTest, MatchesNetworksAndSingleAddressesOfBothFamilies) {
  const AddressRanges ranges = Ranges({"10.0.0.0/8", "172.16.0.0/12", "192.0.2.7", "fd00::/8", "::1"});
  EXPECT_TRUE(ranges.Contains("10.255.3.4"));
  EXPECT_TRUE(ranges.Contains("172.31.255.255"));
  EXPECT_FALSE(ranges.Contains("172.32.0.1")) << "just past the /12";
  EXPECT_TRUE(ranges.Contains("192.0.2.7"));
  EXPECT_FALSE(ranges.Contains("192.0.2.8")) << "a single address is a /32";
  EXPECT_TRUE(ranges.Contains("fd12:3456::1"));
  EXPECT_FALSE(ranges.Contains("fe80::1"));
  EXPECT_TRUE(ranges.Contains("::1"));
  EXPECT_FALSE(ranges.Contains("::2"));
  EXPECT_TRUE(ranges.Contains("::ffff:10.1.2.3")) << "a dual-stack listener's IPv4 peer";
  EXPECT_FALSE(ranges.Contains("203.0.113.5"));
}

TEST(AddressRangesTest, AnIPv4MappedNetworkIsTheIPv4NetworkItSpells) {
  const AddressRanges ranges = Ranges({"::ffff:10.0.0.0/104", "::ffff:192.0.2.1"});
  EXPECT_TRUE(ranges.Contains("10.9.8.7"));
  EXPECT_TRUE(ranges.Contains("::ffff:10.9.8.7"));
  EXPECT_FALSE(ranges.Contains("11.0.0.1"));
  EXPECT_TRUE(ranges.Contains("192.0.2.1"));
  EXPECT_FALSE(ranges.Contains("192.0.2.2"));
  EXPECT_FALSE(AddressRanges::Parse({"::ffff:10.0.0.0/8"})) << "shorter than the mapping's 96 bits";
}

TEST(AddressRangesTest, WhatIsNotAnAddressIsInNoNetwork) {
  const AddressRanges everything = Ranges({"0.0.0.0/0", "::/0"});
  EXPECT_TRUE(everything.Contains("203.0.113.5"));
  EXPECT_TRUE(everything.Contains("2001:db8::5"));
  for (const char* never : {"", "localhost", "127.1", "0x7f000001", "2130706433", "10.0.0.1 ",
                            "10.0.0.1/8"}) {
    EXPECT_FALSE(everything.Contains(never)) << never;
  }
  EXPECT_FALSE(Ranges({}).Contains("127.0.0.1")) << "no networks: nobody";
}

TEST(AddressRangesTest, RefusesEntriesThatAreNotNetworksNamingThem) {
  for (const char* wrong : {"10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x",
                            "intranet", "10.0.0", "10.0.0.1/8", "fd00::1/8"}) {
    SCOPED_TRACE(wrong);
    const auto ranges = AddressRanges::Parse({"127.0.0.0/8", wrong});
    ASSERT_FALSE(ranges);
    EXPECT_THAT(ranges.error().message, HasSubstr(std::string("\"") + wrong + "\""));
  }
}

}  // namespace
}  // namespace sac::http
