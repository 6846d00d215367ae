# Script mode: writes OUTPUT, a C++ source defining sac::web::LeakedPasswordList(): the ~30,000
# passwords most found in leaked password sets, most common first, comma-separated, as zxcvbn
# (Dropbox, MIT licence; web/node_modules, installed by deploy/dev.sh's npm ci) ships them in its
# frequency lists. Cut into raw-string pieces under the 64 KiB a string literal may portably hold.
file(READ "${INPUT}" content)
string(REGEX MATCH "passwords: \"([^\"]*)\"" found "${content}")
if(NOT found)
  message(FATAL_ERROR "${INPUT} has no passwords list")
endif()
set(list "${CMAKE_MATCH_1}")
if(list MATCHES "\\\\$")
  message(FATAL_ERROR "${INPUT}: the passwords list has an escaped quote; this script cannot read it")
endif()
# Entries with JavaScript escapes (one today, "pic\\'s") are left out rather than mis-read.
string(REGEX REPLACE "[^,]*\\\\[^,]*," "" list "${list}")
string(LENGTH "${list}" length)
if(length LESS 100000)
  message(FATAL_ERROR "${INPUT}: the passwords list is too short (${length} bytes)")
endif()
include(${CMAKE_CURRENT_LIST_DIR}/raw_string_pieces.cmake)
raw_string_pieces(body "${list}" sac_list "      ")
file(WRITE "${OUTPUT}.tmp"
"// Generated from web/node_modules/zxcvbn by web/embed_common_passwords.cmake. Do not edit.
#include \"web/password_policy.h\"

#include <string>

namespace sac::web {

std::string_view LeakedPasswordList() {
  static const std::string list = [] {
    std::string joined;
    for (const char* piece : {
${body}         }) {
      joined += piece;
    }
    return joined;
  }();
  return list;
}

}  // namespace sac::web
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
