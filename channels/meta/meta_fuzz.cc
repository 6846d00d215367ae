// libFuzzer target: Messenger and Instagram webhook bodies and Send API answers into the shared
// Meta parser (the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/meta/payloads.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  using namespace sac::channels::meta;
  (void)ParseWebhook(body, kMessenger, "");
  (void)ParseWebhook(body, kInstagram, "17841400000000001");
  (void)ParseSendResponseId(body);
  (void)ParseGraphError(body);
  return 0;
}
