// ASCII case folding for protocol text: header and parameter names, hosts, schemes, MIME types.
// Never for citizens' words, which are Unicode (src/classify/normalizer.h folds those).
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace sac {

inline std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace sac
