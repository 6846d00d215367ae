// The classification rules, loaded from rules/ and compiled once into an immutable RuleSet: every
// pattern of every categoría and intent in one RE2::Set (one pass over a message), plus a
// separate RE2 per pattern to show staff where it matched, the colonia gazetteer and the
// normaliser. A RuleSet never changes; reloading builds a new one and swaps it in whole.
#pragma once

#include <re2/re2.h>
#include <re2/set.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "classify/gazetteer.h"
#include "classify/normalizer.h"
#include "core/result.h"

namespace sac::classify {

struct Pattern {
  enum class Kind { kCategoria, kNegativo, kIntent };
  Kind kind = Kind::kCategoria;
  std::size_t owner = 0;  // index of its categoría or intent
  int weight = 0;
  std::string regex;
  std::string where;  // "categorias/agua_drenaje.toml:14": shown to staff, used in errors
};

struct Categoria {
  std::string id;
  std::string name;
  std::string dependencia;
  std::string priority;  // baja, normal, alta, urgente
  std::vector<std::string> examples;
  std::string where;
};

struct Intent {
  std::string id;  // peticion, consulta_folio, encuesta, saludo, estado_cuenta, curp, otro
  std::string dependencia;  // where this intent's boletas go ("" for none)
  std::vector<std::string> examples;
  std::string where;
};

// rules/clasificador.toml: when SAC routes by itself and when it asks a person.
struct Thresholds {
  double min_confidence = 0.6;  // below: the staff queue
  double smoothing = 1.0;       // confidence = top / (top + runner-up + smoothing)
  int min_score = 3;            // a categoría needs at least this much evidence
  // Golden-case gates for `sac rules test`.
  double min_precision = 0.95;
  double min_automatic = 0.85;
  double min_intent_accuracy = 0.95;
  double min_colonia_accuracy = 0.9;
};

class RuleSet {
 public:
  // Reads and compiles the rules in `dir`. Every problem is reported, one per line, as
  // "<file>:<line>: <what>"; nothing is partially loaded.
  static Result<std::shared_ptr<const RuleSet>> Load(const std::filesystem::path& dir);

  const Normalizer& normalizer() const { return normalizer_; }
  const Gazetteer& gazetteer() const { return gazetteer_; }
  const std::vector<Pattern>& patterns() const { return patterns_; }
  const std::vector<Categoria>& categorias() const { return categorias_; }
  const std::vector<Intent>& intents() const { return intents_; }
  const std::vector<std::string>& dependencias() const { return dependencias_; }
  const Thresholds& thresholds() const { return thresholds_; }
  const std::filesystem::path& dir() const { return dir_; }

  // Indices of the patterns that match somewhere in `normalized`, unsorted.
  void Match(std::string_view normalized, std::vector<int>& matched) const;
  // Where pattern `index` first matches, as [begin, end) offsets; false when it does not.
  bool Span(std::size_t index, std::string_view normalized, std::size_t& begin,
            std::size_t& end) const;

  std::size_t IntentIndex(std::string_view id) const;  // intents().size() when unknown
  // The categoría's name for people ("Fuga de agua"); the id itself when unknown.
  std::string CategoriaName(std::string_view id) const;

 private:
  RuleSet() : set_(Options(), RE2::UNANCHORED) {}
  static RE2::Options Options();

  std::filesystem::path dir_;
  Normalizer normalizer_;
  Gazetteer gazetteer_;
  std::vector<std::string> dependencias_;
  std::vector<Categoria> categorias_;
  std::vector<Intent> intents_;
  std::vector<Pattern> patterns_;
  std::vector<std::unique_ptr<RE2>> compiled_;
  RE2::Set set_;
  Thresholds thresholds_;
};

}  // namespace sac::classify
