#include "classify/rule_set.h"

#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "routing/dependencias.h"

namespace sac::classify {
namespace {

// RE2::Set builds its DFA lazily; 48 MiB leaves room for a thousand patterns while keeping the
// whole engine under the 50 MB the issue allows (measured by tests/bench/classify_bench.cc).
constexpr int64_t kMaxRe2Memory = 48LL << 20;

const std::set<std::string, std::less<>> kIntentIds = {
    "peticion", "consulta_folio", "encuesta", "saludo", "estado_cuenta", "curp", "otro"};
const std::set<std::string, std::less<>> kPriorities = {"baja", "normal", "alta", "urgente"};

// Collects problems as "<file>:<line>: <what>", relative to the rules directory.
class Problems {
 public:
  explicit Problems(std::filesystem::path dir) : dir_(std::move(dir)) {}

  std::string Where(const std::filesystem::path& file, const toml::node& node) const {
    return std::filesystem::relative(file, dir_).string() + ":" +
           std::to_string(node.source().begin.line);
  }
  void Add(const std::string& where, const std::string& what) {
    lines_.push_back(where + ": " + what);
  }
  void Add(const std::filesystem::path& file, const toml::node& node, const std::string& what) {
    Add(Where(file, node), what);
  }
  bool empty() const { return lines_.empty(); }
  Error ToError() const {
    std::string message;
    for (const std::string& line : lines_) message += (message.empty() ? "" : "\n") + line;
    return MakeError(Errc::kInvalidArgument, message);
  }

 private:
  std::filesystem::path dir_;
  std::vector<std::string> lines_;
};

std::optional<toml::table> Parse(const std::filesystem::path& file, Problems& problems,
                                 const std::filesystem::path& dir) {
  try {
    return toml::parse_file(file.string());
  } catch (const toml::parse_error& error) {
    problems.Add(std::filesystem::relative(file, dir).string() + ":" +
                     std::to_string(error.source().begin.line),
                 std::string(error.description()));
    return std::nullopt;
  }
}

// Patterns are written in the normalised form: lowercase ASCII. Uppercase letters would never
// match (and \B, \D, \S, \W change meaning when folded), so they are refused, not folded.
// Bounds on what one pattern may be: the longest real one is under 1 KiB and nests 3 groups
// deep. A pattern pasted by mistake (a whole document, a generated monster) is refused at load
// rather than costing memory and compile time on every reload.
constexpr std::size_t kMaxPatternBytes = 4096;
constexpr int kMaxGroupNesting = 16;

// The pattern as it is named in a problem: long ones cut, so one line stays readable.
std::string Quoted(std::string_view regex) {
  std::size_t shown = std::min<std::size_t>(regex.size(), 80);
  while (shown < regex.size() && (static_cast<unsigned char>(regex[shown]) & 0xC0) == 0x80) {
    --shown;  // never cut a UTF-8 character in half
  }
  return "'" + std::string(regex.substr(0, shown)) + (shown < regex.size() ? "…'" : "'");
}

std::optional<std::string> PatternProblem(std::string_view regex) {
  if (regex.size() > kMaxPatternBytes) {
    return "longer than " + std::to_string(kMaxPatternBytes) + " bytes: split it into several";
  }
  int depth = 0;
  for (std::size_t i = 0; i < regex.size(); ++i) {
    const auto c = static_cast<unsigned char>(regex[i]);
    if (c == '(' && ++depth > kMaxGroupNesting) {
      return "groups nested deeper than " + std::to_string(kMaxGroupNesting);
    }
    if (c == ')' && depth > 0) --depth;
    if (c >= 0x80) return "write it without accents or ñ (the text is folded: á → a, ñ → n)";
    if (c == '\\' && i + 1 < regex.size()) {
      ++i;  // \B, \D, \S, \W, \A, \z...: escapes keep their case
      continue;
    }
    if (c >= 'A' && c <= 'Z') return "write it in lowercase (the text is lowercased)";
  }
  return std::nullopt;
}

std::vector<std::string> Strings(const toml::node* node) {
  std::vector<std::string> values;
  if (const toml::array* array = node ? node->as_array() : nullptr) {
    for (const toml::node& item : *array) {
      if (auto value = item.value<std::string>()) values.push_back(*value);
    }
  }
  return values;
}

}  // namespace

RE2::Options RuleSet::Options() {
  RE2::Options options;
  options.set_max_mem(kMaxRe2Memory);
  options.set_log_errors(false);
  return options;
}

Result<std::shared_ptr<const RuleSet>> RuleSet::Load(const std::filesystem::path& dir) {
  std::shared_ptr<RuleSet> rules(new RuleSet());
  rules->dir_ = dir;
  Problems problems(dir);

  auto dependencias = routing::LoadDependencias(dir / "dependencias.toml");
  if (!dependencias) {
    return dependencias.error();
  }
  for (const auto& d : *dependencias) rules->dependencias_.push_back(d.id);
  const auto known_dependencia = [&](const std::string& id) {
    return std::find(rules->dependencias_.begin(), rules->dependencias_.end(), id) !=
           rules->dependencias_.end();
  };

  // Abbreviations.
  if (auto table = Parse(dir / "abreviaturas.toml", problems, dir)) {
    std::map<std::string, std::string, std::less<>> abbreviations;
    if (const toml::table* entries = (*table)["abreviaturas"].as_table()) {
      for (const auto& [key, value] : *entries) {
        const auto expansion = value.value<std::string>();
        const std::string folded = Normalizer::Fold(key.str());
        if (!expansion || folded.empty() || folded.find(' ') != std::string::npos) {
          problems.Add(dir / "abreviaturas.toml", value,
                       "'" + std::string(key.str()) + "' must be one word with a text expansion");
          continue;
        }
        abbreviations[folded] = Normalizer::Fold(*expansion);
      }
    } else {
      problems.Add("abreviaturas.toml:1", "needs an [abreviaturas] table");
    }
    rules->normalizer_ = Normalizer(std::move(abbreviations));
  }

  // Thresholds.
  if (auto table = Parse(dir / "clasificador.toml", problems, dir)) {
    Thresholds& t = rules->thresholds_;
    const auto number = [&](const char* section, const char* key, double& out, double lo, double hi) {
      const toml::node* node = (*table)[section][key].node();
      if (node == nullptr) return;
      const auto value = node->value<double>();
      if (!value || *value < lo || *value > hi) {
        problems.Add(dir / "clasificador.toml", *node,
                     std::string(section) + "." + key + " must be a number from " +
                         std::to_string(lo) + " to " + std::to_string(hi));
      } else {
        out = *value;
      }
    };
    number("enrutamiento", "confianza_minima", t.min_confidence, 0, 1);
    number("enrutamiento", "suavizado", t.smoothing, 0.01, 100);
    double min_score = t.min_score;
    number("enrutamiento", "puntaje_minimo", min_score, 1, 100);
    t.min_score = static_cast<int>(min_score);
    number("casos", "precision_minima", t.min_precision, 0, 1);
    number("casos", "automatico_minimo", t.min_automatic, 0, 1);
    number("casos", "exactitud_intencion_minima", t.min_intent_accuracy, 0, 1);
    number("casos", "exactitud_colonia_minima", t.min_colonia_accuracy, 0, 1);
  }

  const auto add_patterns = [&](const std::filesystem::path& file, const toml::node* node,
                                Pattern::Kind kind, std::size_t owner, bool weighted) {
    const toml::array* array = node ? node->as_array() : nullptr;
    if (array == nullptr) return;
    for (const toml::node& item : *array) {
      Pattern pattern;
      pattern.kind = kind;
      pattern.owner = owner;
      pattern.where = problems.Where(file, item);
      if (weighted) {
        const toml::table* entry = item.as_table();
        const auto regex = entry ? (*entry)["re"].value<std::string>() : std::nullopt;
        const auto weight = entry ? (*entry)["peso"].value<std::int64_t>() : std::nullopt;
        if (!regex || !weight || *weight < 1 || *weight > 10 || entry->size() != 2) {
          problems.Add(pattern.where, "a pattern is { re = '...', peso = 1..10 }");
          continue;
        }
        pattern.regex = *regex;
        pattern.weight = static_cast<int>(*weight);
      } else {
        const auto regex = item.value<std::string>();
        if (!regex) {
          problems.Add(pattern.where, "a negative pattern is a string");
          continue;
        }
        pattern.regex = *regex;
      }
      if (auto problem = PatternProblem(pattern.regex)) {
        problems.Add(pattern.where, "pattern " + Quoted(pattern.regex) + ": " + *problem);
        continue;
      }
      rules->patterns_.push_back(std::move(pattern));
    }
  };

  // Categorías, file by file in name order (stable indices, stable errors).
  std::vector<std::filesystem::path> files;
  std::error_code listing_error;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "categorias", listing_error)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path());
  }
  if (listing_error) {
    problems.Add("categorias", "cannot list the directory: " + listing_error.message());
  }
  std::sort(files.begin(), files.end());
  std::set<std::string, std::less<>> categoria_ids;
  const std::set<std::string, std::less<>> categoria_keys = {
      "id", "nombre", "dependencia", "prioridad", "patrones", "negativos", "ejemplos"};
  for (const auto& file : files) {
    auto table = Parse(file, problems, dir);
    if (!table) continue;
    for (const auto& [key, node] : *table) {
      if (key.str() != "categoria") problems.Add(file, node, "unknown key '" + std::string(key.str()) + "'");
    }
    const toml::array* entries = (*table)["categoria"].as_array();
    if (entries == nullptr) continue;
    for (const toml::node& node : *entries) {
      const toml::table* entry = node.as_table();
      if (entry == nullptr) continue;
      Categoria categoria;
      categoria.where = problems.Where(file, node);
      categoria.id = (*entry)["id"].value_or(std::string());
      categoria.name = (*entry)["nombre"].value_or(std::string());
      categoria.dependencia = (*entry)["dependencia"].value_or(std::string());
      categoria.priority = (*entry)["prioridad"].value_or(std::string("normal"));
      categoria.examples = Strings((*entry)["ejemplos"].node());
      for (const auto& [key, value] : *entry) {
        if (!categoria_keys.contains(key.str())) {
          problems.Add(file, value, "unknown key '" + std::string(key.str()) + "'");
        }
      }
      if (categoria.id.empty() || categoria.name.empty()) {
        problems.Add(categoria.where, "a categoría needs id and nombre");
        continue;
      }
      if (!categoria_ids.insert(categoria.id).second) {
        problems.Add(categoria.where, "categoría '" + categoria.id + "' is defined twice");
      }
      if (!known_dependencia(categoria.dependencia)) {
        problems.Add(categoria.where, "categoría '" + categoria.id + "': unknown dependencia '" +
                                          categoria.dependencia + "' (see dependencias.toml)");
      }
      if (!kPriorities.contains(categoria.priority)) {
        problems.Add(categoria.where, "prioridad must be baja, normal, alta or urgente");
      }
      const std::size_t index = rules->categorias_.size();
      if ((*entry)["patrones"].as_array() == nullptr) {
        problems.Add(categoria.where, "categoría '" + categoria.id + "' has no patrones");
      }
      add_patterns(file, (*entry)["patrones"].node(), Pattern::Kind::kCategoria, index, true);
      add_patterns(file, (*entry)["negativos"].node(), Pattern::Kind::kNegativo, index, false);
      rules->categorias_.push_back(std::move(categoria));
    }
  }
  if (rules->categorias_.empty()) {
    problems.Add("categorias", "no categorías found");
  }

  // Intents.
  if (auto table = Parse(dir / "intents.toml", problems, dir)) {
    const toml::array* entries = (*table)["intent"].as_array();
    if (entries == nullptr) {
      problems.Add("intents.toml:1", "needs [[intent]] entries");
    }
    for (std::size_t i = 0; entries != nullptr && i < entries->size(); ++i) {
      const toml::node& node = *entries->get(i);
      const toml::table* entry = node.as_table();
      if (entry == nullptr) continue;
      Intent intent;
      intent.where = problems.Where(dir / "intents.toml", node);
      intent.id = (*entry)["id"].value_or(std::string());
      intent.dependencia = (*entry)["dependencia"].value_or(std::string());
      intent.examples = Strings((*entry)["ejemplos"].node());
      if (!kIntentIds.contains(intent.id)) {
        problems.Add(intent.where, "unknown intent '" + intent.id + "'");
        continue;
      }
      if (!intent.dependencia.empty() && !known_dependencia(intent.dependencia)) {
        problems.Add(intent.where, "unknown dependencia '" + intent.dependencia + "'");
      }
      if (rules->IntentIndex(intent.id) != rules->intents_.size()) {
        problems.Add(intent.where, "intent '" + intent.id + "' is defined twice");
      }
      add_patterns(dir / "intents.toml", (*entry)["patrones"].node(), Pattern::Kind::kIntent,
                   rules->intents_.size(), true);
      rules->intents_.push_back(std::move(intent));
    }
  }
  for (const std::string& id : kIntentIds) {
    if (rules->IntentIndex(id) == rules->intents_.size()) {
      // Intents without patterns of their own are decided by the classifier.
      rules->intents_.push_back(Intent{id, "", {}, "intents.toml"});
    }
  }

  // Colonias.
  auto gazetteer = Gazetteer::Load(dir / "colonias");
  if (!gazetteer) {
    problems.Add("colonias", gazetteer.error().message);
  } else {
    rules->gazetteer_ = std::move(*gazetteer);
  }

  // Compile: each pattern alone (for spans and precise errors), then all of them together.
  for (const Pattern& pattern : rules->patterns_) {
    auto compiled = std::make_unique<RE2>(pattern.regex, Options());
    if (!compiled->ok()) {
      problems.Add(pattern.where, "pattern " + Quoted(pattern.regex) + " does not compile: " +
                                      compiled->error());
    }
    std::string error;
    if (rules->set_.Add(pattern.regex, &error) < 0 && compiled->ok()) {
      problems.Add(pattern.where, "pattern " + Quoted(pattern.regex) + ": " + error);
    }
    rules->compiled_.push_back(std::move(compiled));
  }
  if (!problems.empty()) {
    return problems.ToError();
  }
  if (!rules->set_.Compile()) {
    return MakeError(Errc::kInvalidArgument,
                     "the patterns do not fit in RE2's memory limit: simplify or split them");
  }
  // Pre-warm the DFA so the first messages are not slower than the rest.
  std::vector<int> matched;
  for (const Categoria& categoria : rules->categorias_) {
    for (const std::string& example : categoria.examples) {
      rules->Match(rules->normalizer_.Normalize(example), matched);
    }
  }
  return std::shared_ptr<const RuleSet>(std::move(rules));
}

void RuleSet::Match(std::string_view normalized, std::vector<int>& matched) const {
  matched.clear();
  set_.Match(normalized, &matched);
}

bool RuleSet::Span(std::size_t index, std::string_view normalized, std::size_t& begin,
                   std::size_t& end) const {
  re2::StringPiece match;
  if (!compiled_[index]->Match(normalized, 0, normalized.size(), RE2::UNANCHORED, &match, 1)) {
    return false;
  }
  begin = static_cast<std::size_t>(match.data() - normalized.data());
  end = begin + match.size();
  return true;
}

std::size_t RuleSet::IntentIndex(std::string_view id) const {
  for (std::size_t i = 0; i < intents_.size(); ++i) {
    if (intents_[i].id == id) return i;
  }
  return intents_.size();
}

std::string RuleSet::CategoriaName(std::string_view id) const {
  for (const Categoria& categoria : categorias_) {
    if (categoria.id == id) return categoria.name;
  }
  return std::string(id);
}

}  // namespace sac::classify
