// libFuzzer target: Open311 POST requests forms through validation and into an inbox message
// (the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/open311/service_request.h"
#include "http/query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = sac::http::ParseForm(body, 64);
  if (!form) return 0;
  auto request = sac::channels::open311::ReadServiceRequest(
      *form, [](std::string_view code) { return code == "bache" || code == "fuga_agua"; },
      {"app.example", ".mazatlan.gob.mx"});
  if (request) (void)sac::channels::open311::ToInboundMessage(*request, "app", "token", 0);
  return 0;
}
