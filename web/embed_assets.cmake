# Script mode: writes OUTPUT, a C++ source defining sac::web::VendoredAsset(), with the front-end
# files the staff web serves (from web/node_modules, installed by deploy/dev.sh's npm ci) inside
# the binary: no CDN and no files to deploy beside it. Each file is cut into raw-string pieces
# under the 64 KiB a string literal may portably hold, joined once at first use.
include(${CMAKE_CURRENT_LIST_DIR}/raw_string_pieces.cmake)
set(body "")
foreach(pair IN LISTS ASSETS)
  string(REPLACE "=" ";" parts "${pair}")
  list(GET parts 0 name)
  list(GET parts 1 file)
  file(READ "${file}" content)
  raw_string_pieces(pieces "${content}" sac_asset "")
  string(APPEND body "    {\"${name}\", {${pieces}}},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp"
"// Generated from web/node_modules by web/embed_assets.cmake. Do not edit.
#include \"web/vendored_assets.h\"

#include <map>
#include <string>
#include <vector>

namespace sac::web {

std::optional<std::string_view> VendoredAsset(std::string_view name) {
  static const std::map<std::string, std::string, std::less<>> assets = [] {
    const std::vector<std::pair<const char*, std::vector<const char*>>> pieces = {
${body}    };
    std::map<std::string, std::string, std::less<>> joined;
    for (const auto& [asset, parts] : pieces) {
      std::string& text = joined[asset];
      for (const char* part : parts) text += part;
    }
    return joined;
  }();
  const auto found = assets.find(name);
  if (found == assets.end()) return std::nullopt;
  return std::string_view(found->second);
}

}  // namespace sac::web
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
