#include "app/classify_commands.h"

#include <boost/json.hpp>

#include <cstdio>
#include <iostream>

#include "classify/classifier.h"
#include "classify/golden_cases.h"
#include "classify/rule_set.h"

namespace sac::app {
namespace {

namespace bj = boost::json;

std::shared_ptr<const classify::RuleSet> LoadOrReport(const std::string& dir) {
  auto rules = classify::RuleSet::Load(dir);
  if (!rules) {
    std::cerr << rules.error().message << "\n";
    return nullptr;
  }
  return *rules;
}

void PrintForPeople(const classify::Classification& c) {
  std::printf("intención:    %s\n", c.intent.c_str());
  std::printf("dependencia:  %s%s\n", c.dependencia.empty() ? "(ninguna)" : c.dependencia.c_str(),
              c.needs_review ? "  → a revisión del personal" : "");
  std::printf("categoría:    %s (prioridad %s)\n", c.categoria.empty() ? "(ninguna)" : c.categoria.c_str(),
              c.priority.c_str());
  std::printf("confianza:    %.2f\n", c.confidence);
  if (c.colonia) {
    std::printf("colonia:      %s (CP %s; por %s: «%s»)\n", c.colonia->name.c_str(),
                c.colonia->postal_code.c_str(), c.colonia->how.c_str(), c.colonia->span.c_str());
  } else {
    std::printf("colonia:      (no la menciona)\n");
  }
  if (!c.address.empty()) std::printf("dirección:    %s\n", c.address.c_str());
  std::printf("normalizado:  %s\n", c.normalized.c_str());
  for (const auto& candidate : c.candidates) {
    std::printf("candidata:    %s / %s (%d)\n", candidate.dependencia.c_str(),
                candidate.categoria.c_str(), candidate.score);
  }
  for (const auto& hit : c.hits) {
    std::printf("regla:        %-10s %-24s %+d «%s»  %s\n", hit.kind.c_str(), hit.target.c_str(),
                hit.weight, hit.matched.c_str(), hit.where.c_str());
  }
}

// One output line for one input line; never stops the stream.
std::string ClassifyLine(const classify::Classifier& classifier, const std::string& line) {
  bj::error_code error;
  bj::value input = bj::parse(line, error);
  bj::object out;
  const bj::value* id = input.is_object() ? input.as_object().if_contains("id") : nullptr;
  out["id"] = id != nullptr ? *id : bj::value(nullptr);
  if (error || !input.is_object()) {
    out["error"] = "la línea no es un objeto JSON";
    return bj::serialize(out);
  }
  const bj::value* text = input.as_object().if_contains("text");
  if (text == nullptr || !text->is_string()) {
    out["error"] = "falta \"text\" (texto)";
    return bj::serialize(out);
  }
  const bj::value result = bj::parse(classifier.Classify(std::string(text->as_string())).ToJson());
  for (const auto& [key, value] : result.as_object()) {
    out[key] = value;
  }
  return bj::serialize(out);
}

}  // namespace

int Classify(const std::string& rules_dir, const std::optional<std::string>& text) {
  const auto rules = LoadOrReport(rules_dir);
  if (!rules) return 1;
  const classify::Classifier classifier(rules);
  if (text) {
    PrintForPeople(classifier.Classify(*text));
    return 0;
  }
  std::ios::sync_with_stdio(false);
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty()) continue;
    std::cout << ClassifyLine(classifier, line) << "\n";
  }
  std::cout.flush();
  return 0;
}

int RulesCheck(const std::string& rules_dir) {
  const auto rules = LoadOrReport(rules_dir);
  if (!rules) return 1;
  auto cases = classify::LoadGoldenCases(*rules);
  if (!cases) {
    std::cerr << cases.error().message << "\n";
    return 1;
  }
  std::printf("ok: %zu categorías, %zu patrones, %zu intenciones, %zu colonias, %zu casos\n",
              rules->categorias().size(), rules->patterns().size(), rules->intents().size(),
              rules->gazetteer().size(), cases->size());
  return 0;
}

int RulesTest(const std::string& rules_dir, const RulesTestOptions& options) {
  const auto rules = LoadOrReport(rules_dir);
  if (!rules) return 1;
  auto cases = options.cases_file ? classify::LoadCaseFile(*rules, *options.cases_file)
                                  : classify::LoadGoldenCases(*rules);
  if (!cases) {
    std::cerr << cases.error().message << "\n";
    return 1;
  }
  const classify::GoldenReport report = classify::Evaluate(classify::Classifier(rules), *cases);
  std::cout << report.Render();
  if (options.show_misses) {
    std::cout << "\nfallos:\n";
    for (const std::string& miss : report.misses) std::cout << "  " << miss << "\n";
  }
  classify::Thresholds gates = rules->thresholds();
  if (options.min_precision) gates.min_precision = *options.min_precision;
  if (options.min_automatic) gates.min_automatic = *options.min_automatic;
  if (options.min_intent_accuracy) gates.min_intent_accuracy = *options.min_intent_accuracy;
  if (options.min_colonia_accuracy) gates.min_colonia_accuracy = *options.min_colonia_accuracy;
  const auto failures = report.GateFailures(gates);
  for (const std::string& failure : failures) {
    std::cerr << "por debajo del umbral: " << failure << "\n";
  }
  return failures.empty() ? 0 : 1;
}

}  // namespace sac::app
