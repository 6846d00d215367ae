#include "conversation/curp.h"

#include <gtest/gtest.h>

namespace sac::conversation {
namespace {

TEST(CurpTest, AcceptsValidCurpsByTheirCheckDigit) {
  // RENAPO's algorithm: weights 18..2 over "0-9A-NÑO-Z". A CURP often printed as an example
  // passes; two with a made-up last digit do not.
  EXPECT_EQ(CheckCurp("MAHJ280603MSPRRV09"), CurpCheck::kValid);
  EXPECT_EQ(CheckCurp("GODE561231HDFRRN09"), CurpCheck::kWrongDigit);
  EXPECT_EQ(CheckCurp("BADD110313HCMLNS09"), CurpCheck::kWrongDigit);
  // A CURP with its real check digit: change one character and the digit no longer matches.
  std::string curp = "LOOA800101HSLPRN0";
  for (char digit = '0'; digit <= '9'; ++digit) {
    if (CheckCurp(curp + digit) == CurpCheck::kValid) {
      curp += digit;
      break;
    }
  }
  ASSERT_EQ(curp.size(), 18u) << "exactly one check digit fits";
  EXPECT_EQ(CheckCurp(curp), CurpCheck::kValid);
  std::string typo = curp;
  typo[5] = typo[5] == '0' ? '1' : '0';
  EXPECT_EQ(CheckCurp(typo), CurpCheck::kWrongDigit);
}

TEST(CurpTest, RefusesWhatIsNotShapedLikeACurp) {
  for (const char* text : {"", "LOOA800101HSLPRN0", "LOOA800101HSLPRN001", "L0OA800101HSLPRN09",
                           "LOOA801301HSLPRN09", "LOOA800101KSLPRN09", "LOOA800101HZZPRN09",
                           "LOOA800101HSLAEI09"}) {
    EXPECT_EQ(CheckCurp(text), CurpCheck::kMalformed) << text;
  }
}

TEST(CurpTest, FindsACurpTheWayPeopleTypeIt) {
  EXPECT_EQ(FindCurp("mi curp es looa800101hslprn09 gracias"), "LOOA800101HSLPRN09");
  EXPECT_EQ(FindCurp("CURP: LOOA 800101 HSLPRN09"), "LOOA800101HSLPRN09");
  EXPECT_FALSE(FindCurp("quiero sacar mi curp"));
  EXPECT_FALSE(FindCurp("folio 2026-000123"));
}

}  // namespace
}  // namespace sac::conversation
