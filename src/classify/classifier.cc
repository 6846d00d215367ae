#include "classify/classifier.h"

#include <boost/json.hpp>

#include <algorithm>
#include <array>

#include "classify/address.h"

namespace sac::classify {
namespace {

// Words that, right before a match, deny it: "no es basura, es un arbol".
constexpr std::array<std::string_view, 5> kDenials = {"no es ", "no son ", "no era ", "no fue ",
                                                      "ni es "};

// True when the three words before `begin` contain a denial ("no es la basura").
bool Denied(std::string_view normalized, std::size_t begin) {
  std::size_t start = begin;
  for (int words = 0; words < 4 && start > 0; ++words) {
    const std::size_t space = normalized.rfind(' ', start - 1 == 0 ? 0 : start - 2);
    start = space == std::string_view::npos ? 0 : space + 1;
    if (space == std::string_view::npos) break;
  }
  const std::string_view before = normalized.substr(start, begin - start);
  return std::any_of(kDenials.begin(), kDenials.end(), [&](std::string_view denial) {
    return before.find(denial) != std::string_view::npos;
  });
}

// baja < normal < alta < urgente: between two categorías with the same score, the more urgent
// one is the better reading (a fallen cable before a dark street).
int Rank(std::string_view priority) {
  if (priority == "urgente") return 3;
  if (priority == "alta") return 2;
  if (priority == "normal") return 1;
  return 0;
}

}  // namespace

Classification Classifier::Classify(std::string_view text) const { return Run(text, true); }

Classification Classifier::Route(std::string_view text) const { return Run(text, false); }

Classification Classifier::Run(std::string_view text, bool explain) const {
  const RuleSet& rules = *rules_;
  Classification result;
  result.normalized = rules.normalizer().Normalize(text);
  const std::string& normalized = result.normalized;

  thread_local std::vector<int> matched;
  rules.Match(normalized, matched);
  std::sort(matched.begin(), matched.end());

  std::vector<int> categoria_score(rules.categorias().size(), 0);
  std::vector<bool> excluded(rules.categorias().size(), false);
  std::vector<int> intent_score(rules.intents().size(), 0);
  const bool may_deny = std::any_of(kDenials.begin(), kDenials.end(), [&](std::string_view denial) {
    return normalized.find(denial) != std::string::npos;
  });
  for (const int index : matched) {
    const Pattern& pattern = rules.patterns()[static_cast<std::size_t>(index)];
    std::size_t begin = 0;
    std::size_t end = 0;
    // Spans cost a second match; only explanations and texts with a denial need them.
    const bool need_span = explain || (may_deny && pattern.kind == Pattern::Kind::kCategoria);
    if (need_span && !rules.Span(static_cast<std::size_t>(index), normalized, begin, end)) {
      continue;
    }
    std::string kind;
    std::string target;
    switch (pattern.kind) {
      case Pattern::Kind::kCategoria:
        target = rules.categorias()[pattern.owner].id;
        if (may_deny && Denied(normalized, begin)) {
          kind = "negado";
        } else {
          kind = "categoria";
          categoria_score[pattern.owner] += pattern.weight;
        }
        break;
      case Pattern::Kind::kNegativo:
        kind = "negativo";
        target = rules.categorias()[pattern.owner].id;
        excluded[pattern.owner] = true;
        break;
      case Pattern::Kind::kIntent:
        kind = "intencion";
        target = rules.intents()[pattern.owner].id;
        intent_score[pattern.owner] += pattern.weight;
        break;
    }
    if (explain) {
      result.hits.push_back(RuleHit{pattern.where, kind, target, pattern.weight,
                                    normalized.substr(begin, end - begin), begin, end});
    }
  }

  // Best categoría per dependencia (ties: the more urgent categoría).
  std::vector<Candidate> by_dependencia;
  std::vector<int> rank;  // of each candidate's categoría
  for (std::size_t i = 0; i < categoria_score.size(); ++i) {
    if (excluded[i] || categoria_score[i] <= 0) continue;
    const Categoria& categoria = rules.categorias()[i];
    const int categoria_rank = Rank(categoria.priority);
    auto existing = std::find_if(by_dependencia.begin(), by_dependencia.end(),
                                 [&](const Candidate& c) { return c.dependencia == categoria.dependencia; });
    if (existing == by_dependencia.end()) {
      by_dependencia.push_back({categoria.id, categoria.dependencia, categoria_score[i]});
      rank.push_back(categoria_rank);
      continue;
    }
    const auto at = static_cast<std::size_t>(existing - by_dependencia.begin());
    if (categoria_score[i] > existing->score ||
        (categoria_score[i] == existing->score && categoria_rank > rank[at])) {
      *existing = {categoria.id, categoria.dependencia, categoria_score[i]};
      rank[at] = categoria_rank;
    }
  }
  std::vector<std::size_t> order(by_dependencia.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (by_dependencia[a].score != by_dependencia[b].score) {
      return by_dependencia[a].score > by_dependencia[b].score;
    }
    return rank[a] > rank[b];
  });
  std::vector<Candidate> sorted;
  sorted.reserve(order.size());
  for (const std::size_t i : order) sorted.push_back(by_dependencia[i]);
  by_dependencia = std::move(sorted);
  if (by_dependencia.size() > 3) by_dependencia.resize(3);
  result.candidates = by_dependencia;

  const Thresholds& thresholds = rules.thresholds();
  const int best = by_dependencia.empty() ? 0 : by_dependencia[0].score;
  const int runner_up = by_dependencia.size() > 1 ? by_dependencia[1].score : 0;

  // The intent: a specific one (folio query, survey answer, account balance, CURP) when its
  // evidence beats the petition's; a petition when a categoría matched; else the best of the
  // rest (greeting, request words without a known categoría), else "otro".
  std::size_t top_intent = rules.intents().size();
  int top_intent_score = 0;
  for (std::size_t i = 0; i < intent_score.size(); ++i) {
    if (intent_score[i] > top_intent_score) {
      top_intent = i;
      top_intent_score = intent_score[i];
    }
  }
  const std::string top_intent_id =
      top_intent < rules.intents().size() ? rules.intents()[top_intent].id : "";
  const bool specific = !top_intent_id.empty() && top_intent_id != "peticion" &&
                        top_intent_id != "saludo" && top_intent_id != "otro";
  if (specific && top_intent_score >= best) {
    result.intent = top_intent_id;
    result.dependencia = rules.intents()[top_intent].dependencia;
    result.confidence = static_cast<double>(top_intent_score) /
                        (top_intent_score + best + thresholds.smoothing);
    result.needs_review = false;
  } else if (best > 0 || top_intent_id == "peticion") {
    result.intent = "peticion";
    if (best > 0) {
      result.categoria = by_dependencia[0].categoria;
      result.dependencia = by_dependencia[0].dependencia;
      result.confidence = static_cast<double>(best) / (best + runner_up + thresholds.smoothing);
      for (const Categoria& categoria : rules.categorias()) {
        if (categoria.id == result.categoria) result.priority = categoria.priority;
      }
    }
    result.needs_review = best < thresholds.min_score ||
                          result.confidence < thresholds.min_confidence;
  } else {
    result.intent = top_intent_id.empty() ? "otro" : top_intent_id;
    result.needs_review = false;
  }

  if (explain) {
    result.colonia = rules.gazetteer().Find(normalized);
    result.address = ExtractAddress(normalized);
  }
  return result;
}

std::string Classification::ToJson() const {
  namespace bj = boost::json;
  bj::array rules;
  for (const RuleHit& hit : hits) {
    rules.push_back(bj::object{{"regla", hit.where},
                               {"tipo", hit.kind},
                               {"destino", hit.target},
                               {"peso", hit.weight},
                               {"texto", hit.matched},
                               {"inicio", hit.begin},
                               {"fin", hit.end}});
  }
  bj::array others;
  for (const Candidate& candidate : candidates) {
    others.push_back(bj::object{{"categoria", candidate.categoria},
                                {"dependencia", candidate.dependencia},
                                {"puntaje", candidate.score}});
  }
  const auto nullable = [](const std::string& text) {
    return text.empty() ? bj::value(nullptr) : bj::value(text);
  };
  return bj::serialize(bj::object{
      {"intent", intent},
      {"dependencia", nullable(dependencia)},
      {"categoria", nullable(categoria)},
      {"confianza", std::round(confidence * 1000) / 1000},
      {"colonia", colonia ? bj::value(colonia->name) : bj::value(nullptr)},
      {"codigo_postal", colonia ? bj::value(colonia->postal_code) : bj::value(nullptr)},
      {"colonia_por", colonia ? bj::value(colonia->how) : bj::value(nullptr)},
      {"direccion", nullable(address)},
      {"prioridad", priority},
      {"needs_review", needs_review},
      {"candidatos", std::move(others)},
      {"rules", std::move(rules)},
      {"texto_normalizado", normalized},
  });
}

}  // namespace sac::classify
