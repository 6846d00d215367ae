// The front-end libraries the staff web serves at /static/<name>, built into the binary from
// web/node_modules (see web/embed_assets.cmake): chart.umd.min.js (Chart.js 4) and htmx.min.js.
#pragma once

#include <optional>
#include <string_view>

namespace sac::web {

std::optional<std::string_view> VendoredAsset(std::string_view name);

}  // namespace sac::web
