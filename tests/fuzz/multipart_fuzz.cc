// libFuzzer target: multipart/form-data bodies (Captura's photo upload), through the parser and
// the image sniffing that decides what a file is (the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/multipart.h"
#include "media/image_type.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  // The first line, when it looks like one, is the Content-Type (so the boundary is fuzzed too).
  const auto newline = body.find('\n');
  const bool typed = newline != std::string_view::npos && body.substr(0, 10) == "multipart/";
  const std::string_view type = typed ? body.substr(0, newline)
                                      : std::string_view("multipart/form-data; boundary=b");
  const auto parts = sac::http::ParseMultipart(type, typed ? body.substr(newline + 1) : body, 40);
  if (!parts) return 0;
  for (const auto& part : *parts) (void)sac::media::ImageTypeOf(part.data);
  return 0;
}
