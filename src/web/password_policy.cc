#include "web/password_policy.h"

#include <algorithm>
#include <array>
#include <set>
#include <unordered_set>
#include <vector>

namespace sac::web {
namespace {

// Words that would be tried first against a municipality's staff in Mazatlán, unaccented.
constexpr std::array<std::string_view, 24> kLocalWords = {
    "contrasena", "password",  "mazatlan",   "sinaloa",     "mexico",     "municipio",
    "ayuntamiento", "gobierno", "presidencia", "atencion",   "ciudadana",  "ciudadano",
    "sac",        "admin",     "administrador", "bienvenido", "usuario",   "clave",
    "secreto",    "jumapam",   "acceso",     "entrar",      "hola",       "qwerty"};

std::size_t Utf8Length(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Lower case, Spanish accents and ñ folded ("Mazatlán" → "mazatlan"), as lists spell words; the
// opening ¡ and ¿ become plain symbols.
std::string Folded(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, char>, 14> kFolds = {{
      {"á", 'a'}, {"é", 'e'}, {"í", 'i'}, {"ó", 'o'}, {"ú", 'u'}, {"ü", 'u'}, {"ñ", 'n'},
      {"Á", 'a'}, {"É", 'e'}, {"Í", 'i'}, {"Ó", 'o'}, {"Ú", 'u'}, {"Ü", 'u'}, {"Ñ", 'n'}}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool folded = false;
    for (const auto& [accented, plain] : kFolds) {
      if (text.substr(i, accented.size()) == accented) {
        out.push_back(plain);
        i += accented.size();
        folded = true;
        break;
      }
    }
    if (!folded && (text.substr(i, 2) == "¡" || text.substr(i, 2) == "¿")) {
      out.push_back('!');  // a symbol like any other: Core() strips it
      i += 2;
      folded = true;
    }
    // A combining accent typed after its letter (U+0300–U+036F: CC 80 … CD AF) is dropped.
    if (!folded && i + 1 < text.size()) {
      const auto lead = static_cast<unsigned char>(text[i]);
      const auto next = static_cast<unsigned char>(text[i + 1]);
      if (lead == 0xCC || (lead == 0xCD && next <= 0xAF)) {
        i += 2;
        folded = true;
      }
    }
    if (!folded) {
      const char c = text[i++];
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  return out;
}

// After Folded() every Spanish letter is a–z; what else is left above ASCII is a symbol (°, €, «).
bool IsLetter(char c) { return c >= 'a' && c <= 'z'; }

// The text's characters (whole UTF-8 sequences), spaces left out.
std::set<std::string_view> DistinctCharacters(std::string_view text) {
  std::set<std::string_view> distinct;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t length = 1;
    while (i + length < text.size() &&
           (static_cast<unsigned char>(text[i + length]) & 0xC0) == 0x80) {
      ++length;
    }
    if (text[i] != ' ') distinct.insert(text.substr(i, length));
    i += length;
  }
  return distinct;
}

// Letters and digits only: "maria.lopez" and "María López" both become "marialopez".
std::string Squeezed(const std::string& folded) {
  std::string out;
  for (const char c : folded) {
    if (IsLetter(c) || (c >= '0' && c <= '9')) out.push_back(c);
  }
  return out;
}

// "¡Mazatlan2026!" → "mazatlan": the word inside digits and symbols people add to pass rules.
std::string Core(const std::string& folded) {
  std::size_t start = 0;
  std::size_t end = folded.size();
  while (start < end && !IsLetter(folded[start])) ++start;
  while (end > start && !IsLetter(folded[end - 1])) --end;
  return folded.substr(start, end - start);
}

// "123456", "abcdef", "987654": six characters each one after (or before) the last.
bool HasSequence(const std::string& folded) {
  int up = 1;
  int down = 1;
  for (std::size_t i = 1; i < folded.size(); ++i) {
    up = folded[i] == folded[i - 1] + 1 ? up + 1 : 1;
    down = folded[i] == folded[i - 1] - 1 ? down + 1 : 1;
    if (up >= 6 || down >= 6) return true;
  }
  return false;
}

const std::unordered_set<std::string_view>& Leaked() {
  static const std::unordered_set<std::string_view> leaked = [] {
    std::unordered_set<std::string_view> set;
    const std::string_view list = LeakedPasswordList();
    for (std::size_t start = 0; start < list.size();) {
      const std::size_t comma = std::min(list.find(',', start), list.size());
      set.insert(list.substr(start, comma - start));
      start = comma + 1;
    }
    return set;
  }();
  return leaked;
}

bool IsGuessable(std::string_view candidate) {
  if (candidate.empty()) return false;
  return Leaked().contains(candidate) ||
         std::find(kLocalWords.begin(), kLocalWords.end(), candidate) != kLocalWords.end();
}

}  // namespace

std::optional<std::string> PasswordProblem(std::string_view password, std::string_view username) {
  if (Utf8Length(password) < kMinPasswordLength) {
    return "La nueva contraseña debe tener al menos 12 caracteres.";
  }
  const std::string folded = Folded(password);
  std::string joined = folded;
  std::erase(joined, ' ');
  if (DistinctCharacters(folded).size() < 5) {
    return "La nueva contraseña repite muy pocos caracteres distintos; elige otra.";
  }
  if (IsGuessable(folded) || IsGuessable(joined) || IsGuessable(Core(folded)) ||
      IsGuessable(Core(joined)) || HasSequence(joined)) {
    return "Esa contraseña está entre las más usadas o filtradas y se adivina pronto; elige otra "
           "(una frase de varias palabras sirve).";
  }
  // The username, and each of its parts, when long enough not to be an everyday word inside a
  // phrase ("luz" in "la luz del sol").
  const std::string user = Folded(username);
  const std::string squeezed = Squeezed(folded);
  std::vector<std::string> parts = {Squeezed(user)};
  for (std::size_t start = 0; start < user.size();) {
    const std::size_t end = std::min(user.find_first_of("._-", start), user.size());
    parts.push_back(user.substr(start, end - start));
    start = end + 1;
  }
  for (const std::string& part : parts) {
    if (part.size() >= 4 && squeezed.find(part) != std::string::npos) {
      return "La nueva contraseña no debe contener tu nombre de usuario.";
    }
  }
  return std::nullopt;
}

}  // namespace sac::web
