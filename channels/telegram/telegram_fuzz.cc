// libFuzzer target: Telegram updates and Bot API answers into the parser (the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/telegram/payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)sac::channels::telegram::ParseUpdate(body, "7012345678");
  (void)sac::channels::telegram::ParseSentMessageId(body);
  (void)sac::channels::telegram::ParseFilePath(body);
  (void)sac::channels::telegram::ParseApiError(body);
  return 0;
}
