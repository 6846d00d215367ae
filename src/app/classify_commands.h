// `sac classify` and `sac rules check|test`: the rules engine from the command line, with no
// database (rules/ is all they read).
#pragma once

#include <optional>
#include <string>

namespace sac::app {

// With `text`, classifies it for a person to read; without, reads JSONL ({"id":..., "text":...}
// per line) from stdin and writes one JSON line per input, in order.
int Classify(const std::string& rules_dir, const std::optional<std::string>& text);

// Every pattern compiles, every id is known, nothing is defined twice.
int RulesCheck(const std::string& rules_dir);

struct RulesTestOptions {
  bool show_misses = false;
  // Another set of cases instead of rules/cases and the examples (an evaluation kept apart).
  std::optional<std::string> cases_file;
  // Gates instead of those of rules/clasificador.toml.
  std::optional<double> min_precision;
  std::optional<double> min_automatic;
  std::optional<double> min_intent_accuracy;
  std::optional<double> min_colonia_accuracy;
};

// The golden cases: per-dependencia precision and recall, the confusion table, the misses;
// non-zero exit below the thresholds of rules/clasificador.toml (or those given).
int RulesTest(const std::string& rules_dir, const RulesTestOptions& options);

}  // namespace sac::app
