// libFuzzer target: WhatsApp webhook bodies into the parser (build with the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/whatsapp/payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  (void)sac::channels::whatsapp::ParseWebhook(body, "110220330440550");
  (void)sac::channels::whatsapp::ParseSendResponseId(body);
  (void)sac::channels::whatsapp::ParseMediaUrl(body);
  return 0;
}
