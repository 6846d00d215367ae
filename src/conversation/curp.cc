#include "conversation/curp.h"

#include <array>
#include <cctype>

namespace sac::conversation {
namespace {

// RENAPO's alphabet for the check digit: digits, then letters with Ñ after N.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHIJKLMN&OPQRSTUVWXYZ";  // '&' stands for Ñ

// The states' two-letter codes, plus NE (born abroad).
constexpr std::array<std::string_view, 33> kStates = {
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS",
    "NT", "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS", "NE"};

bool IsLetter(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsConsonant(char c) { return IsLetter(c) && std::string_view("AEIOU").find(c) == std::string_view::npos; }

bool Shaped(std::string_view c) {
  if (c.size() != 18) return false;
  for (int i = 0; i < 4; ++i) if (!IsLetter(c[i])) return false;
  for (int i = 4; i < 10; ++i) if (!IsDigit(c[i])) return false;
  const int month = (c[6] - '0') * 10 + (c[7] - '0');
  const int day = (c[8] - '0') * 10 + (c[9] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  if (c[10] != 'H' && c[10] != 'M' && c[10] != 'X') return false;
  bool state = false;
  for (std::string_view code : kStates) state = state || c.substr(11, 2) == code;
  if (!state) return false;
  for (int i = 13; i < 16; ++i) if (!IsConsonant(c[i])) return false;
  return (IsLetter(c[16]) || IsDigit(c[16])) && IsDigit(c[17]);
}

}  // namespace

CurpCheck CheckCurp(std::string_view curp) {
  if (!Shaped(curp)) return CurpCheck::kMalformed;
  int sum = 0;
  for (int i = 0; i < 17; ++i) {
    const auto value = kAlphabet.find(curp[static_cast<std::size_t>(i)]);
    sum += static_cast<int>(value) * (18 - i);
  }
  const int digit = (10 - sum % 10) % 10;
  return curp[17] - '0' == digit ? CurpCheck::kValid : CurpCheck::kWrongDigit;
}

std::optional<std::string> FindCurp(std::string_view text) {
  // Letters and digits only, upper-cased; spaces and dashes inside a CURP are dropped, while
  // any other character ends a candidate.
  std::string run;
  const auto candidate = [&]() -> std::optional<std::string> {
    for (std::size_t start = 0; start + 18 <= run.size(); ++start) {
      const std::string_view piece(run.data() + start, 18);
      if (IsLetter(piece[0]) && IsLetter(piece[1]) && IsLetter(piece[2]) && IsLetter(piece[3]) &&
          IsDigit(piece[4]) && IsDigit(piece[5]) && IsDigit(piece[17])) {
        return std::string(piece);
      }
    }
    return std::nullopt;
  };
  for (const char raw : text) {
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(raw)));
    if (IsLetter(c) || IsDigit(c)) {
      run.push_back(c);
    } else if (c != ' ' && c != '-') {
      if (auto found = candidate()) return found;
      run.clear();
    }
  }
  return candidate();
}

}  // namespace sac::conversation
