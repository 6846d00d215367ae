// What a citizen's message is about, and how sure SAC is: the intent, the categoría and so the
// dependencia, the colonia and street, a confidence in [0, 1], whether a person must look, and
// every rule that fired with the words it matched (staff see why; the boleta keeps it).
//
// Scoring: each matching pattern adds its weight to its categoría, unless the words just before
// it deny it ("no es basura") or one of the categoría's negative patterns matches. The best
// categoría wins if it has enough evidence and no other dependencia comes close:
//   confidence = best / (best + best of another dependencia + smoothing)
// Below rules/clasificador.toml's threshold the boleta waits for staff, with the candidates.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "classify/gazetteer.h"
#include "classify/rule_set.h"

namespace sac::classify {

struct RuleHit {
  std::string where;   // "categorias/agua_drenaje.toml:14"
  std::string kind;    // categoria, negativo, negado, intencion
  std::string target;  // the categoría or intent id
  int weight = 0;
  std::string matched;  // the words of the normalised text
  std::size_t begin = 0;
  std::size_t end = 0;
};

struct Candidate {
  std::string categoria;
  std::string dependencia;
  int score = 0;
};

struct Classification {
  std::string intent = "otro";
  std::string categoria;    // "" when none
  std::string dependencia;  // "" when none
  std::string priority = "normal";
  double confidence = 0;
  bool needs_review = true;
  std::optional<ColoniaMatch> colonia;
  std::string address;
  std::string normalized;
  std::vector<Candidate> candidates;  // best first, one per dependencia, at most 3
  std::vector<RuleHit> hits;

  // {"intent":..., "dependencia":..., ... "rules":[...]} — the form stored with the boleta and
  // printed by `sac classify`.
  std::string ToJson() const;
};

class Classifier {
 public:
  explicit Classifier(std::shared_ptr<const RuleSet> rules) : rules_(std::move(rules)) {}

  Classification Classify(std::string_view text) const;

  // The intent, categoría and confidence only: no colonia, address or explanation (the fast
  // path the benchmark measures against plain RE2).
  Classification Route(std::string_view text) const;

  const RuleSet& rules() const { return *rules_; }

 private:
  Classification Run(std::string_view text, bool explain) const;

  std::shared_ptr<const RuleSet> rules_;
};

}  // namespace sac::classify
