#include "classify/gazetteer.h"

#include <toml++/toml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include "classify/normalizer.h"

namespace sac::classify {
namespace {

// Words that introduce a colonia: "colonia X", "fracc X", "vivo en la X".
const std::set<std::string, std::less<>> kMarkers = {
    "colonia", "fraccionamiento", "unidad", "residencial", "asentamiento", "barrio"};
// Marker words that need an article after them: "en la X", "por la X". Not "de": "una rama de
// los pinos" is about trees.
const std::set<std::string, std::less<>> kWeakMarkers = {"en", "por"};
const std::set<std::string, std::less<>> kArticles = {"la", "el", "los", "las", "del", "de"};
// Right before these, a name is a street, a school or a crossing, not a colonia.
const std::set<std::string, std::less<>> kNotAColonia = {
    "calle",    "avenida", "bulevar", "esquina",  "entre",    "y",       "con",
    "privada",  "andador", "callejon", "escuela", "primaria", "secundaria", "jardin",
    "kinder",   "preparatoria", "prepa", "plaza",  "mercado",  "hospital", "parque",
    "carretera", "boulevard", "calzada", "cerrada", "numero",
    // landmarks named after people: "teatro Ángela Peralta", "estadio Teodoro Mariscal"
    "teatro",   "museo",   "estadio", "clinica", "iglesia", "templo", "monumento", "biblioteca",
    "universidad", "facultad", "instituto", "colegio", "hotel", "farmacia", "tienda", "centro",
    "panteon", "cementerio", "gimnasio", "deportiva", "estatua", "glorieta", "puente"};

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

std::vector<std::string> OwnedTokens(std::string_view text) {
  std::vector<std::string> tokens;
  for (std::string_view token : Tokens(text)) tokens.emplace_back(token);
  return tokens;
}

// Minimal CSV: comma-separated, double quotes around fields that need them.
std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        fields.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        fields.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back().push_back(c);
    }
  }
  return fields;
}

struct CsvRow {
  int line;
  std::map<std::string, std::string> fields;
};

Result<std::vector<CsvRow>> ReadCsv(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) {
    return MakeError(Errc::kInvalidArgument, "cannot read " + file.string());
  }
  std::string line;
  if (!std::getline(in, line)) {
    return MakeError(Errc::kInvalidArgument, file.string() + ":1: empty file");
  }
  const std::vector<std::string> header = SplitCsvLine(line);
  std::vector<CsvRow> rows;
  int number = 1;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    const auto fields = SplitCsvLine(line);
    if (fields.size() != header.size()) {
      return MakeError(Errc::kInvalidArgument, file.string() + ":" + std::to_string(number) +
                                                   ": expected " + std::to_string(header.size()) +
                                                   " fields");
    }
    CsvRow row{number, {}};
    for (std::size_t i = 0; i < header.size(); ++i) row.fields[header[i]] = fields[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

int Tolerance(std::size_t length) { return length >= 9 ? 2 : length >= 5 ? 1 : 0; }

std::string Join(const std::vector<std::string_view>& tokens, std::size_t from, std::size_t count) {
  std::string joined;
  for (std::size_t i = from; i < from + count && i < tokens.size(); ++i) {
    if (!joined.empty()) joined.push_back(' ');
    joined.append(tokens[i]);
  }
  return joined;
}

}  // namespace

int EditDistance(std::string_view a, std::string_view b, int limit) {
  const auto size_gap = static_cast<int>(a.size()) - static_cast<int>(b.size());
  if (std::abs(size_gap) > limit) return limit + 1;
  std::vector<int> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = static_cast<int>(j);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = static_cast<int>(i);
    int row_best = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);  // transposition
      }
      row_best = std::min(row_best, current[j]);
    }
    if (row_best > limit) return limit + 1;
    before.swap(previous);
    previous.swap(current);
  }
  return previous[b.size()];
}

void Gazetteer::AddName(const std::string& folded, std::size_t colonia, Source source) {
  Name name{OwnedTokens(folded), colonia, source};
  if (name.tokens.empty()) return;
  // Drop a leading type word ("fraccionamiento villa verde"): people rarely say it.
  if (name.tokens.size() > 1 && kMarkers.contains(name.tokens.front())) {
    name.tokens.erase(name.tokens.begin());
  }
  for (std::size_t existing : by_first_token_[name.tokens.front()]) {
    if (names_[existing].tokens == name.tokens && names_[existing].colonia == colonia) return;
  }
  by_first_token_[name.tokens.front()].push_back(names_.size());
  names_.push_back(std::move(name));
}

Result<Gazetteer> Gazetteer::Load(const std::filesystem::path& dir) {
  Gazetteer gazetteer;
  auto current = ReadCsv(dir / "sepomex_mazatlan_2024-12.csv");
  if (!current) return current.error();
  std::map<std::string, std::size_t> by_official;  // folded name → first colonia
  for (const CsvRow& row : *current) {
    Colonia colonia{row.fields.at("d_asenta"), row.fields.at("d_codigo"),
                    row.fields.at("d_tipo_asenta"), row.fields.at("d_zona") == "Urbano"};
    const std::size_t index = gazetteer.colonias_.size();
    const std::string folded = Normalizer::Fold(colonia.name);
    // A name used twice (different postal codes): the urban one answers for the name.
    const auto known = by_official.find(folded);
    if (known == by_official.end() || (!gazetteer.colonias_[known->second].urban && colonia.urban)) {
      by_official[folded] = index;
    }
    gazetteer.by_postal_code_[colonia.postal_code].push_back(index);
    gazetteer.colonias_.push_back(std::move(colonia));
  }
  for (const auto& [folded, index] : by_official) {
    gazetteer.AddName(folded, index, Source::kOfficial);
  }
  // 2018 names that 2024 no longer has: an alias of the 2024 colonia at the same postal code
  // when that code has a single one ("Centro" → "Mazatlán Centro").
  auto old = ReadCsv(dir / "sepomex_mazatlan_2018-10.csv");
  if (!old) return old.error();
  for (const CsvRow& row : *old) {
    const std::string folded = Normalizer::Fold(row.fields.at("d_asenta"));
    if (by_official.contains(folded)) continue;
    const auto same_code = gazetteer.by_postal_code_.find(row.fields.at("d_codigo"));
    if (same_code != gazetteer.by_postal_code_.end() && same_code->second.size() == 1) {
      gazetteer.AddName(folded, same_code->second.front(), Source::kMarkedAlias);
    }
  }
  // Hand-made aliases.
  const std::filesystem::path alias_file = dir / "alias.toml";
  toml::table aliases;
  try {
    aliases = toml::parse_file(alias_file.string());
  } catch (const toml::parse_error& error) {
    return MakeError(Errc::kInvalidArgument,
                     alias_file.string() + ":" + std::to_string(error.source().begin.line) + ": " +
                         std::string(error.description()));
  }
  for (const auto& [section, node] : aliases) {
    const bool marked = section.str() == "alias_con_marcador";
    if (section.str() != "alias" && !marked) {
      return MakeError(Errc::kInvalidArgument, alias_file.string() + ":" +
                                                   std::to_string(node.source().begin.line) +
                                                   ": unknown table [" + std::string(section.str()) +
                                                   "]");
    }
    if (!node.is_table()) continue;
    for (const auto& [alias, target] : *node.as_table()) {
      const auto name = target.value<std::string>();
      const auto official = name ? by_official.find(Normalizer::Fold(*name)) : by_official.end();
      if (official == by_official.end()) {
        return MakeError(Errc::kInvalidArgument,
                         alias_file.string() + ":" + std::to_string(target.source().begin.line) +
                             ": '" + std::string(alias.str()) +
                             "' points at a colonia the SEPOMEX 2024 list does not have");
      }
      gazetteer.AddName(Normalizer::Fold(alias.str()), official->second,
                        marked ? Source::kMarkedAlias : Source::kAlias);
    }
  }
  return gazetteer;
}

const Colonia* Gazetteer::Picked(std::string_view field) const {
  std::string_view name = field;
  std::string_view postal_code;
  if (const auto open = field.rfind(" ("); open != std::string_view::npos &&
                                            field.size() == open + 8 && field.back() == ')') {
    name = field.substr(0, open);
    postal_code = field.substr(open + 2, 5);
  }
  for (const Colonia& colonia : colonias_) {
    if (colonia.name == name && (postal_code.empty() || colonia.postal_code == postal_code)) {
      return &colonia;
    }
  }
  return nullptr;
}

std::optional<std::string> Gazetteer::OfficialName(std::string_view name) const {
  const std::string folded = Normalizer::Fold(name);
  for (const Colonia& colonia : colonias_) {
    if (Normalizer::Fold(colonia.name) == folded) return colonia.name;
  }
  return std::nullopt;
}

std::optional<ColoniaMatch> Gazetteer::AfterMarker(const std::vector<std::string_view>& tokens,
                                                   std::size_t start, bool fuzzy) const {
  // Longest name first, then the closest. Exact matching only needs the names starting with
  // this token; typo-tolerant matching (after a strong marker, which is rare) reads them all.
  std::optional<ColoniaMatch> best;
  std::size_t best_length = 0;
  int best_distance = 1 << 20;
  static const std::vector<std::size_t> kNone;
  const auto bucket = by_first_token_.find(std::string(tokens[start]));
  const std::vector<std::size_t>& exact_candidates =
      bucket == by_first_token_.end() ? kNone : bucket->second;
  const std::size_t count = fuzzy ? names_.size() : exact_candidates.size();
  for (std::size_t n = 0; n < count; ++n) {
    const Name& name = names_[fuzzy ? n : exact_candidates[n]];
    if (start + name.tokens.size() > tokens.size() || name.tokens.size() < best_length) continue;
    int distance = 0;
    for (std::size_t k = 0; k < name.tokens.size() && distance <= 2; ++k) {
      const std::string_view want = name.tokens[k];
      const std::string_view have = tokens[start + k];
      if (want == have) continue;
      const int limit = fuzzy ? Tolerance(want.size()) : 0;
      const int d = limit == 0 ? 1 : EditDistance(want, have, limit);
      distance = d > limit ? 100 : distance + d;
    }
    if (distance > 2) continue;
    if (name.tokens.size() > best_length ||
        (name.tokens.size() == best_length && distance < best_distance)) {
      const Colonia& colonia = colonias_[name.colonia];
      best = ColoniaMatch{colonia.name, colonia.postal_code,
                          distance == 0 ? "marcador" : "aproximada",
                          Join(tokens, start, name.tokens.size())};
      best_length = name.tokens.size();
      best_distance = distance;
    }
  }
  return best;
}

std::optional<ColoniaMatch> Gazetteer::Find(std::string_view normalized) const {
  const std::vector<std::string_view> tokens = Tokens(normalized);
  // 1. After a marker: "colonia X", "fracc X", "en la X".
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    std::size_t start = 0;
    const bool strong = kMarkers.contains(tokens[i]);
    if (strong) {
      start = i + 1;
      if (start < tokens.size() && kArticles.contains(tokens[start]) && start + 1 < tokens.size()) {
        // "colonia la juarez": try with the article first, then without.
        if (auto with_article = AfterMarker(tokens, start, true)) return with_article;
        ++start;
      }
    } else if (kWeakMarkers.contains(tokens[i]) && i + 1 < tokens.size() &&
               kArticles.contains(tokens[i + 1]) && tokens[i + 1] != "de") {
      // "en la juarez". The article may belong to the name ("Las Gaviotas"). Exact names only:
      // "en la esquina" must not become a colonia by a one-letter typo; and a one-word name
      // followed by "de" is a noun with its complement ("por las raíces del árbol").
      const auto accept = [&](std::optional<ColoniaMatch> found, std::size_t from) {
        if (!found) return found;
        const std::vector<std::string_view> span = Tokens(found->span);
        const auto words = std::count_if(span.begin(), span.end(), [](std::string_view t) {
          return !kArticles.contains(t);
        });
        const std::size_t next = from + span.size();
        if (words == 1 && next < tokens.size() && (tokens[next] == "de" || tokens[next] == "del")) {
          return std::optional<ColoniaMatch>();
        }
        return found;
      };
      if (auto found = accept(AfterMarker(tokens, i + 1, false), i + 1)) return found;
      if (i + 2 < tokens.size()) {
        if (auto found = accept(AfterMarker(tokens, i + 2, false), i + 2)) return found;
      }
      continue;
    } else {
      continue;
    }
    if (start < tokens.size()) {
      if (auto found = AfterMarker(tokens, start, strong)) return found;
    }
  }
  // 2. Anywhere: curated aliases, and official names of two or more meaningful words.
  std::optional<ColoniaMatch> best;
  std::size_t best_length = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0 && kNotAColonia.contains(tokens[i - 1])) continue;
    if (i > 1 && kNotAColonia.contains(tokens[i - 2]) && kArticles.contains(tokens[i - 1])) continue;
    const auto bucket = by_first_token_.find(std::string(tokens[i]));
    if (bucket == by_first_token_.end()) continue;
    for (std::size_t index : bucket->second) {
      const Name& name = names_[index];
      if (name.source == Source::kMarkedAlias) continue;
      if (name.source == Source::kOfficial) {
        const auto meaningful = std::count_if(name.tokens.begin(), name.tokens.end(),
                                              [](const std::string& t) {
                                                return !kArticles.contains(t) && t.size() > 2;
                                              });
        if (meaningful < 2) continue;
      }
      if (i + name.tokens.size() > tokens.size() || name.tokens.size() <= best_length) continue;
      if (!std::equal(name.tokens.begin(), name.tokens.end(), tokens.begin() + static_cast<long>(i))) {
        continue;
      }
      const Colonia& colonia = colonias_[name.colonia];
      best = ColoniaMatch{colonia.name, colonia.postal_code,
                          name.source == Source::kAlias ? "alias" : "nombre",
                          Join(tokens, i, name.tokens.size())};
      best_length = name.tokens.size();
    }
  }
  if (best) return best;
  // 3. A postal code with a single urban colonia.
  for (std::string_view token : tokens) {
    if (token.size() != 5 || token.substr(0, 2) != "82") continue;
    const auto found = by_postal_code_.find(token);
    if (found == by_postal_code_.end()) continue;
    std::optional<std::size_t> only;
    int urban = 0;
    for (std::size_t index : found->second) {
      if (colonias_[index].urban) {
        ++urban;
        only = index;
      }
    }
    if (urban == 1) {
      const Colonia& colonia = colonias_[*only];
      return ColoniaMatch{colonia.name, colonia.postal_code, "codigo_postal", std::string(token)};
    }
  }
  return std::nullopt;
}

}  // namespace sac::classify
