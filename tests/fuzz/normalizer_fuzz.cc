// libFuzzer target: the classifier's normaliser (ICU folding, abbreviations) on any bytes a
// citizen could send: always valid UTF-8 out, never a crash (the `fuzz` preset).
#include <unicode/utf8.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "classify/normalizer.h"

namespace {

bool ValidUtf8(const std::string& text) {
  std::int32_t i = 0;
  const auto length = static_cast<std::int32_t>(text.size());
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(text.data(), i, length, c);
    if (c < 0) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sac::classify::Normalizer normalizer(
      {{"q", "que"}, {"xfa", "por favor"}, {"col", "colonia"}, {"tmb", "también"}});
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string normalized = normalizer.Normalize(text);
  const std::string folded = sac::classify::Normalizer::Fold(text);
  if (!ValidUtf8(normalized) || !ValidUtf8(folded)) std::abort();
  return 0;
}
