// The CURP (Clave Única de Registro de Población): 18 characters, the last a check digit RENAPO
// computes over the other 17. Citizens type them from memory or from a photo of a document, so
// a typo is common: SAC points it out kindly before a boleta carries a wrong one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sac::conversation {

enum class CurpCheck {
  kValid,
  kMalformed,      // not the 18-character shape (4 letters, 6 digits, H/M/X, state, ...)
  kWrongDigit,     // the shape is right, the check digit is not: a character was mistyped
};

CurpCheck CheckCurp(std::string_view curp);

// The first 18-character run in `text` that looks like a CURP (upper-cased, spaces inside
// tolerated: "LOOA 800101 HSLPRN09"), if any; it may still fail CheckCurp.
std::optional<std::string> FindCurp(std::string_view text);

}  // namespace sac::conversation
