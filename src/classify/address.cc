#include "classify/address.h"

#include <set>
#include <vector>

namespace sac::classify {
namespace {

const std::set<std::string_view> kStreetCues = {"calle",   "avenida",  "bulevar",   "privada",
                                                "andador", "callejon", "carretera", "calzada",
                                                "cerrada", "circuito", "retorno"};
const std::set<std::string_view> kNearCues = {"frente", "enfrente", "junto", "cerca", "atras",
                                              "detras", "afuera"};
const std::set<std::string_view> kNearLinks = {"a", "al", "de", "del"};
const std::set<std::string_view> kArticles = {"la", "el", "los", "las"};
// Words that end a piece: the next thought, or the next cue.
const std::set<std::string_view> kStops = {
    "y",        "que",   "porque", "pero",   "desde",   "hace",   "ya",      "se",
    "no",       "hay",   "esta",   "estan",  "colonia", "fraccionamiento",   "entre",
    "esquina",  "frente", "enfrente", "casi", "numero", "por",    "en",      "con",
    "para",     "pues",  "favor",  "es",     "son",     "tiene",  "cerca",   "junto",
    "atras",    "donde", "lleva",  "llevan", "desde",   "sigue",  "siguen",  "calle",
    "avenida",  "bulevar", "a",    "al",     "del",     "mi",     "su",      "hasta"};

std::vector<std::string_view> Tokens(std::string_view text) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) tokens.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

// Appends up to `max` tokens from `i` that are not stop words (the first may be a street cue:
// "esquina con avenida juarez"); returns how many it took.
std::size_t TakeWords(const std::vector<std::string_view>& tokens, std::size_t i, std::size_t max,
                      std::string& piece) {
  std::size_t taken = 0;
  if (i < tokens.size() && kStreetCues.contains(tokens[i])) {
    piece += " ";
    piece += tokens[i];
    ++taken;
    ++max;
  }
  while (i + taken < tokens.size() && taken < max && !kStops.contains(tokens[i + taken])) {
    piece += " ";
    piece += tokens[i + taken];
    ++taken;
  }
  return taken;
}

}  // namespace

std::string ExtractAddress(std::string_view normalized) {
  const std::vector<std::string_view> tokens = Tokens(normalized);
  std::vector<std::string> pieces;
  for (std::size_t i = 0; i < tokens.size();) {
    const std::string_view token = tokens[i];
    std::string piece(token);
    std::size_t next = i + 1;
    std::size_t words = 0;  // what the cue names: without it there is no piece
    if (kStreetCues.contains(token)) {
      words = TakeWords(tokens, next, 4, piece);
      next += words;
    } else if (token == "entre") {
      const std::size_t first = TakeWords(tokens, next, 4, piece);
      words = first;
      if (first > 0 && next + first < tokens.size() && tokens[next + first] == "y") {
        piece += " y";
        next += first + 1;
        const std::size_t second = TakeWords(tokens, next, 3, piece);
        next += second;
        words += second;
      } else {
        next += first;
      }
    } else if (token == "esquina") {
      if (next < tokens.size() && tokens[next] == "con") {
        piece += " con";
        ++next;
      }
      words = TakeWords(tokens, next, 4, piece);
      next += words;
    } else if (kNearCues.contains(token) && next < tokens.size() && kNearLinks.contains(tokens[next])) {
      piece += " ";
      piece += tokens[next++];
      if (next < tokens.size() && kArticles.contains(tokens[next])) {
        piece += " ";
        piece += tokens[next++];
      }
      words = TakeWords(tokens, next, 3, piece);
      next += words;
    } else if ((token == "numero" || token == "num") && next < tokens.size() &&
               !tokens[next].empty() && tokens[next][0] >= '0' && tokens[next][0] <= '9') {
      piece = "numero " + std::string(tokens[next++]);
      words = 1;
    } else {
      ++i;
      continue;
    }
    if (words > 0) {
      pieces.push_back(std::move(piece));
    }
    i = next;
  }
  std::string address;
  for (const std::string& piece : pieces) {
    if (!address.empty()) address += "; ";
    address += piece;
    if (address.size() > 300) break;
  }
  return address;
}

}  // namespace sac::classify
