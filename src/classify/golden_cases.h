// Golden cases: messages written the way citizens write, with what SAC must answer
// (rules/cases/*.tsv, plus every categoría's and intent's `ejemplos`). `sac rules test` and the
// hot reload both run them: a rule set that routes them worse than rules/clasificador.toml allows
// is refused.
//
// A case line: texto <TAB> intent <TAB> dependencia <TAB> colonia, where dependencia is an id,
// "-" (not a petition for anyone) or "?" (a person must decide), and colonia is the SEPOMEX name
// or "-" (the text names none). The rules' own examples carry colonia "?": not checked.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "core/result.h"

namespace sac::classify {

struct GoldenCase {
  std::string where;  // "cases/agua.tsv:12"
  std::string text;
  std::string intent;
  std::string dependencia;  // id, "-" or "?"
  std::string colonia;      // SEPOMEX name, "-" (none) or "?" (not checked)
};

// Cases of rules/cases/*.tsv and the rules' own examples. Malformed lines are errors naming
// file:line (an unknown intent, dependencia or colonia included).
Result<std::vector<GoldenCase>> LoadGoldenCases(const RuleSet& rules);

// The cases of one file only, without the rules' examples: an evaluation set kept apart from the
// rules (tests/eval/mazatlan_ciegos.tsv), checked against the same catalogue.
Result<std::vector<GoldenCase>> LoadCaseFile(const RuleSet& rules, const std::filesystem::path& file);

struct GoldenReport {
  int cases = 0;
  int routable = 0;          // cases a dependencia should get without a person
  int routable_routed = 0;   // ... that SAC routed by itself (rightly or not)
  int routed = 0;            // every case SAC routed by itself, whatever it expected
  int routed_right = 0;      // ... to the expected dependencia
  int intent_right = 0;
  int colonia_expected = 0;
  int colonia_right = 0;
  int colonia_wrong = 0;    // named a colonia that is not the expected one (incl. none expected)
  // expected dependencia → what SAC did (a dependencia id, "cola" for the staff queue, "-")
  std::map<std::string, std::map<std::string, int>> confusion;
  std::vector<std::string> misses;  // "where: expected ..., got ..."

  double Precision() const { return routed == 0 ? 1.0 : double(routed_right) / routed; }
  double Automatic() const { return routable == 0 ? 1.0 : double(routable_routed) / routable; }
  double IntentAccuracy() const { return cases == 0 ? 1.0 : double(intent_right) / cases; }
  double ColoniaAccuracy() const {
    return colonia_expected == 0 ? 1.0 : double(colonia_right) / colonia_expected;
  }

  struct DependenciaScore {
    std::string dependencia;
    int cases = 0;       // cases that should go to it
    int sent = 0;        // cases SAC sent it by itself
    int sent_right = 0;  // ... that should have gone to it
    double Precision() const { return sent == 0 ? 1.0 : double(sent_right) / sent; }
    double Recall() const { return cases == 0 ? 1.0 : double(sent_right) / cases; }
  };
  // Per dependencia (not "-" nor "?"), by id: precision of what SAC sent it, recall of its cases.
  std::vector<DependenciaScore> ByDependencia() const;

  // The failures of the gates set in rules/clasificador.toml; empty when it passes.
  std::vector<std::string> GateFailures(const Thresholds& thresholds) const;
  // Per-dependencia precision and recall, the confusion table and the totals, for people.
  std::string Render() const;
};

GoldenReport Evaluate(const Classifier& classifier, const std::vector<GoldenCase>& cases);

}  // namespace sac::classify
