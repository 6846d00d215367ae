// What an uploaded file really is, from its first bytes — never from the name or the type the
// browser claims. Only the raster formats browsers show as plain images are recognised (no SVG:
// it can carry script).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sac::media {

// "image/jpeg", "image/png", "image/gif" or "image/webp"; nullopt for anything else.
std::optional<std::string_view> ImageTypeOf(std::string_view bytes);

// The type to keep for a file a citizen sent, which someone else (a provider, a mail, the app)
// said was `declared`: what its bytes show when they are one of those images; a claimed JPEG,
// PNG, GIF or WebP whose bytes are not one is application/octet-stream, so it is never shown
// inline (HTML or a script in a "photo"); anything else keeps its declared type (voice notes,
// videos, documents: served only as downloads).
std::string TypeToKeep(std::string_view declared, std::string_view bytes);

}  // namespace sac::media
