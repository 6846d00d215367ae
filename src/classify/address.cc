#include "classify/address.h"

#include <re2/re2.h>

#include <array>

namespace sac::classify {
namespace {

// Up to four words after the cue; a piece stops at the next cue word or a conjunction that
// starts another thought.
const RE2& Pieces() {
  static const RE2 pieces(
      "\\b((?:calle|avenida|bulevar|privada|andador|callejon|carretera|calzada|cerrada)"
      " [a-z0-9]+(?: [a-z0-9]+){0,3}?"
      "|entre (?:la |el )?[a-z0-9]+(?: [a-z0-9]+){0,3}? y (?:la |el )?[a-z0-9]+(?: [a-z0-9]+){0,2}?"
      "|esquina(?: con)? [a-z0-9]+(?: [a-z0-9]+){0,2}?"
      "|(?:frente|enfrente|atras|a un lado|junto|cerca) (?:a|al|de|del) (?:la |el |los |las )?[a-z0-9]+(?: [a-z0-9]+){0,2}?"
      "|(?:numero|num) [0-9]+[a-z]?)"
      "(?: (?:y|que|porque|pero|desde|hace|ya|se|no|hay|esta|estan|por favor|colonia|fraccionamiento)\\b|$)");
  return pieces;
}

}  // namespace

std::string ExtractAddress(std::string_view normalized) {
  std::string address;
  re2::StringPiece input(normalized.data(), normalized.size());
  re2::StringPiece piece;
  while (RE2::FindAndConsume(&input, Pieces(), &piece)) {
    if (!address.empty()) address += "; ";
    address.append(piece.data(), piece.size());
    if (address.size() > 300) break;
  }
  return address;
}

}  // namespace sac::classify
