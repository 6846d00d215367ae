#include "channels/common/mx_phone.h"

#include <gtest/gtest.h>

namespace sac::channels {
namespace {

TEST(MxPhoneTest, NormalisesMexicanNumbers) {
  struct Case {
    const char* raw;
    const char* e164;
  };
  const Case cases[] = {
      {"5216691234501", "+526691234501"},  // WhatsApp's form for Mexican mobiles
      {"526691234501", "+526691234501"},
      {"+52 669 123 4501", "+526691234501"},
      {"+52 (669) 123-4501", "+526691234501"},
      {"14155550100", "+14155550100"},     // other countries keep their digits
      {"669 123 4501", "+526691234501"},   // national, as typed in a form
      {"044 669 123 4501", "+526691234501"},
      {"01 669 123 4501", "+526691234501"},
      {"+1 415 555 0100", "+14155550100"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.raw);
    EXPECT_EQ(NormalizePhone(c.raw), c.e164);
  }
}

TEST(MxPhoneTest, RefusesWhatIsNotAPhone) {
  for (const char* raw : {"", "abc", "US.1234", "123", "1234567890123456"}) {
    SCOPED_TRACE(raw);
    EXPECT_FALSE(NormalizePhone(raw));
  }
}

}  // namespace
}  // namespace sac::channels
