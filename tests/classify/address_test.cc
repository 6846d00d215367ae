#include "classify/address.h"

#include <gtest/gtest.h>

namespace sac::classify {
namespace {

TEST(AddressTest, KeepsStreetsCrossingsNumbersAndLandmarks) {
  EXPECT_EQ(ExtractAddress("hay fuga en la calle laureles casi esquina con avenida juarez"),
            "calle laureles; esquina con avenida juarez");
  EXPECT_EQ(ExtractAddress("bache entre aquiles serdan y juarez frente al oxxo"),
            "entre aquiles serdan y juarez; frente al oxxo");
  EXPECT_EQ(ExtractAddress("calle rio presidio numero 123 colonia lopez mateos"),
            "calle rio presidio; numero 123");
  EXPECT_EQ(ExtractAddress("no prende la lampara"), "");
}

}  // namespace
}  // namespace sac::classify
