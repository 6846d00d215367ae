#include "classify/normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <array>

namespace sac::classify {
namespace {

// Latin-1 Supplement, U+00C0..U+00FF, folded to lowercase ASCII (0: not a letter). Spanish needs
// nothing else, and a table keeps classification at hundreds of thousands of messages a second;
// every other script goes through ICU.
constexpr std::array<char, 64> kLatin1Fold = [] {
  std::array<char, 64> fold{};
  const char* table =
      "aaaaaaeceeeeiiii"    // C0-CF  À..Ï (Æ → a)
      "dnooooo\0ouuuuyts"  // D0-DF  Ð..ß (× is not a letter)
      "aaaaaaeceeeeiiii"    // E0-EF
      "dnooooo\0ouuuuyty";  // F0-FF  (÷ is not a letter)
  for (std::size_t i = 0; i < fold.size(); ++i) fold[i] = table[i];
  return fold;
}();

char FoldLatin(char32_t c) { return c >= 0xC0 && c < 0x100 ? kLatin1Fold[c - 0xC0] : 0; }

// Anything else: the base letter from ICU's canonical decomposition, lower-cased; 0 when the
// code point is not a letter or digit (emoji, symbols, punctuation).
std::string FoldWithIcu(char32_t c) {
  const auto category = static_cast<UCharCategory>(u_charType(static_cast<UChar32>(c)));
  const bool letter = category == U_UPPERCASE_LETTER || category == U_LOWERCASE_LETTER ||
                      category == U_TITLECASE_LETTER || category == U_OTHER_LETTER ||
                      category == U_MODIFIER_LETTER;
  if (!letter && category != U_DECIMAL_DIGIT_NUMBER) {
    return {};
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  UChar32 base = static_cast<UChar32>(c);
  if (U_SUCCESS(status)) {
    icu::UnicodeString decomposed;
    if (nfd->getDecomposition(static_cast<UChar32>(c), decomposed) && decomposed.length() > 0) {
      base = decomposed.char32At(0);
    }
  }
  if (category == U_DECIMAL_DIGIT_NUMBER) {
    return std::string(1, static_cast<char>('0' + u_charDigitValue(base)));
  }
  base = u_tolower(base);
  if (base < 0x80) {
    return std::string(1, static_cast<char>(base));
  }
  char utf8[4];
  int32_t length = 0;
  UBool error = false;
  U8_APPEND(utf8, length, 4, base, error);
  return error ? std::string() : std::string(utf8, static_cast<std::size_t>(length));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsRomanNumeral(std::string_view token) {
  return !token.empty() && token.size() <= 4 &&
         token.find_first_not_of("ivx") == std::string_view::npos;
}

// Two equal letters are Spanish ("llave", "carro"); three or more are shouting, and the run
// becomes one ("holaaaa" → "hola"). Roman numerals keep theirs ("Arboledas III").
std::string CollapseRuns(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    const std::string_view token(text.data() + start, end - start);
    if (!out.empty()) out.push_back(' ');
    if (IsRomanNumeral(token)) {
      out.append(token);
    } else {
      for (std::size_t i = 0; i < token.size();) {
        std::size_t run = 1;
        while (i + run < token.size() && token[i + run] == token[i]) ++run;
        const bool letter = token[i] >= 'a' && token[i] <= 'z';
        out.append(letter && run >= 3 ? 1 : run, token[i]);
        i += run;
      }
    }
    if (end == text.size()) break;
    start = end + 1;
  }
  return out;
}

// Folds characters and collapses spaces and letter runs; no abbreviations.
std::string FoldCharacters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  char pending = 0;     // a '-' seen after a digit, kept if a digit follows
  const auto push_space = [&] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  const auto push_char = [&](char c) {
    if (pending != 0) {
      if (IsDigit(c) && !out.empty() && IsDigit(out.back())) out.push_back(pending);
      else push_space();
      pending = 0;
    }
    out.push_back(c);
  };
  while (i < length) {
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) {
      push_space();  // invalid UTF-8
      continue;
    }
    if (c < 0x80) {
      const char ascii = static_cast<char>(c);
      if (ascii >= 'A' && ascii <= 'Z') push_char(static_cast<char>(ascii - 'A' + 'a'));
      else if ((ascii >= 'a' && ascii <= 'z') || IsDigit(ascii)) push_char(ascii);
      else if (ascii == '-' && !out.empty() && IsDigit(out.back())) pending = '-';
      else push_space();
      continue;
    }
    if (const char folded = FoldLatin(static_cast<char32_t>(c)); folded != 0) {
      push_char(folded);
      continue;
    }
    const std::string folded = FoldWithIcu(static_cast<char32_t>(c));
    if (folded.empty()) {
      push_space();
    } else if (folded.size() == 1) {
      push_char(folded[0]);
    } else {
      if (pending != 0) push_space();
      pending = 0;
      out += folded;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return CollapseRuns(out);
}

}  // namespace

std::string Normalizer::Fold(std::string_view text) { return FoldCharacters(text); }

std::string Normalizer::Normalize(std::string_view text) const {
  const std::string folded = FoldCharacters(text);
  if (abbreviations_.empty()) {
    return folded;
  }
  std::string out;
  out.reserve(folded.size() + 16);
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string::npos) end = folded.size();
    const std::string_view token(folded.data() + start, end - start);
    const auto found = abbreviations_.find(token);
    if (!out.empty()) out.push_back(' ');
    out.append(found == abbreviations_.end() ? token : std::string_view(found->second));
    start = end + 1;
  }
  return out;
}

}  // namespace sac::classify
