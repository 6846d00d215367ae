// libFuzzer target: the HTTP request's query strings and url-encoded bodies (every staff form,
// Twilio's and Open311's webhooks) — parsed, and what parses re-encoded and parsed again to the
// same fields (the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "http/query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)sac::http::ParseQuery(text);
  auto form = sac::http::ParseForm(text, 256);
  if (!form) return 0;
  auto again = sac::http::ParseForm(sac::http::EncodeForm(*form), 256);
  if (!again || *again != *form) std::abort();  // encoding must round-trip exactly
  return 0;
}
