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

namespace sac::classify {

class Normalizer {
 public:
  Normalizer() = default;
  explicit Normalizer(std::map<std::string, std::string, std::less<>> abbreviations)
      : abbreviations_(std::move(abbreviations)) {}

  std::string Normalize(std::string_view text) const;

  // Folding only (no abbreviations): for names and aliases.
  static std::string Fold(std::string_view text);

 private:
  std::map<std::string, std::string, std::less<>> abbreviations_;
};

}  // namespace sac::classify
