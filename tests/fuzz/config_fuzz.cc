// libFuzzer target: the configuration loader (strict TOML, every key checked) on any text: an
// error naming the problem or a configuration, never a crash (the `fuzz` preset).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)sac::LoadConfigFromString(text, "fuzz.toml", [](std::string_view) { return std::nullopt; });
  return 0;
}
