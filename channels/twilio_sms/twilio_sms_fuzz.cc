// libFuzzer target: Twilio form bodies through the form decoder, the signed-string builder and
// both parsers (the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "channels/twilio_sms/payloads.h"
#include "http/query.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  auto form = sac::http::ParseForm(body);
  if (form) {
    (void)sac::channels::twilio_sms::SignedString("https://atencion.municipio.example/webhooks/twilio/sms", *form);
    (void)sac::channels::twilio_sms::ParseIncoming(*form);
    (void)sac::channels::twilio_sms::ParseStatus(*form);
  }
  (void)sac::channels::twilio_sms::ParseApiAnswer(body);
  return 0;
}
