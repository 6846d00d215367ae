// What an uploaded file really is, from its first bytes — never from the name or the type the
// browser claims. Only the raster formats browsers show as plain images are recognised (no SVG:
// it can carry script).
#pragma once

#include <optional>
#include <string_view>

namespace sac::media {

// "image/jpeg", "image/png", "image/gif" or "image/webp"; nullopt for anything else.
std::optional<std::string_view> ImageTypeOf(std::string_view bytes);

}  // namespace sac::media
