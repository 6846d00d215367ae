#include "media/image_type.h"

namespace sac::media {

std::optional<std::string_view> ImageTypeOf(std::string_view bytes) {
  const auto starts = [&](std::string_view magic) { return bytes.substr(0, magic.size()) == magic; };
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts("\x89PNG\r\n\x1A\n")) return "image/png";
  if (starts("GIF87a") || starts("GIF89a")) return "image/gif";
  if (bytes.size() >= 12 && starts("RIFF") && bytes.substr(8, 4) == "WEBP") return "image/webp";
  return std::nullopt;
}

std::string TypeToKeep(std::string_view declared, std::string_view bytes) {
  if (const auto image = ImageTypeOf(bytes)) return std::string(*image);
  if (declared == "image/jpeg" || declared == "image/png" || declared == "image/gif" ||
      declared == "image/webp") {
    return "application/octet-stream";
  }
  return std::string(declared);
}

}  // namespace sac::media
