// A QR code as inline SVG (libqrencode draws it; no script, no image request): what a phone's
// authenticator app scans to take the staff's second-factor secret.
#pragma once

#include <string_view>

#include "web/html.h"

namespace sac::web {

// `text` in a QR code (error correction M), dark modules as one path on a white square with the
// standard four-module quiet zone; `label` is its accessible name. Throws std::runtime_error when
// libqrencode cannot encode it (too long for any version).
Html QrCodeSvg(std::string_view text, std::string_view label);

}  // namespace sac::web
