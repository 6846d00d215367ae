// The text the rules read: what a citizen typed, folded so that "BACHÉ!!", "bache" and
// "baaache" look the same. Lower case; accents and ñ folded to ASCII (ICU for anything beyond
// Latin); emoji and punctuation become spaces; runs of three or more equal letters collapse to
// one ("holaaaa" → "hola"); whitespace collapses; whole tokens listed in rules/abreviaturas.toml
// are expanded ("xq" → "porque", "col" → "colonia"). Digits stay, and so does a '-' between
// digits (folios, postal codes). Rules are written in this form, so RE2's ASCII \b is right.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sac::classify {

class Normalizer {
 public:
  Normalizer() = default;
  explicit Normalizer(std::map<std::string, std::string, std::less<>> abbreviations)
      : abbreviations_(abbreviations.begin(), abbreviations.end()) {}

  std::string Normalize(std::string_view text) const;

  // Folding only (no abbreviations): for names and aliases.
  static std::string Fold(std::string_view text);

 private:
  // Looked up once per token of every message: hashed, and by string_view without copies.
  struct TokenHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view token) const {
      return std::hash<std::string_view>{}(token);
    }
  };
  std::unordered_map<std::string, std::string, TokenHash, std::equal_to<>> abbreviations_;
};

}  // namespace sac::classify
