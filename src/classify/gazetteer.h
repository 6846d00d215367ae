// Colonias of Mazatlán: the SEPOMEX catalogue (rules/colonias/, 2024 names, 2018 names as
// aliases) plus the aliases people actually use (rules/colonias/alias.toml), and how to find one
// in a normalised message: after "colonia", "fracc", "en la"...; a well-known alias or a
// multi-word official name anywhere (not right after "calle", "esquina", "escuela"...); small
// typos after a marker; or a postal code that belongs to a single urban colonia.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"

namespace sac::classify {

struct Colonia {
  std::string name;  // SEPOMEX d_asenta, as the catalogue writes it
  std::string postal_code;
  std::string type;  // Colonia, Fraccionamiento, ...
  bool urban = false;
};

struct ColoniaMatch {
  std::string name;
  std::string postal_code;
  std::string how;   // marcador, alias, nombre, aproximada, codigo_postal
  std::string span;  // the words of the message that named it
};

class Gazetteer {
 public:
  // `dir` holds sepomex_mazatlan_2024-12.csv, sepomex_mazatlan_2018-10.csv and alias.toml.
  // Errors name the file and line.
  static Result<Gazetteer> Load(const std::filesystem::path& dir);

  std::optional<ColoniaMatch> Find(std::string_view normalized) const;

  std::size_t size() const { return colonias_.size(); }
  const std::vector<Colonia>& colonias() const { return colonias_; }
  // The official name for a name as written (any case/accents), if it is one.
  std::optional<std::string> OfficialName(std::string_view name) const;
  // The colonia staff picked from a list that offers "Benito Juárez (82180)": that name with
  // that postal code — SEPOMEX repeats some names under two codes —, or, written without a
  // code, the first colonia of that name. Null when there is none.
  const Colonia* Picked(std::string_view field) const;

 private:
  enum class Source { kOfficial, kAlias, kMarkedAlias };
  struct Name {
    std::vector<std::string> tokens;
    std::size_t colonia;
    Source source;
  };

  void AddName(const std::string& folded, std::size_t colonia, Source source);
  std::optional<ColoniaMatch> AfterMarker(const std::vector<std::string_view>& tokens,
                                          std::size_t start, bool fuzzy) const;

  std::vector<Colonia> colonias_;
  std::vector<Name> names_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_first_token_;
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_postal_code_;
};

// Optimal-string-alignment distance, stopping early past `limit`.
int EditDistance(std::string_view a, std::string_view b, int limit);

}  // namespace sac::classify
