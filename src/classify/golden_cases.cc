#include "classify/golden_cases.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "classify/normalizer.h"

namespace sac::classify {
namespace {

std::string Percent(double value) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f %%", value * 100);
  return buffer;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

}  // namespace

namespace {

// Reads case lines from `files` (shown as `shown_dir`/<file name>), appending to `cases`.
void ReadCaseFiles(const RuleSet& rules, const std::vector<std::filesystem::path>& files,
                   const std::string& shown_dir, std::vector<GoldenCase>& cases,
                   std::vector<std::string>& problems) {
  const std::set<std::string> intents = {"peticion", "consulta_folio", "encuesta", "saludo",
                                         "estado_cuenta", "curp", "otro"};
  std::set<std::string> seen;
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) {
      problems.push_back(file.string() + ": cannot be read");
      continue;
    }
    std::string line;
    int number = 0;
    const std::string name = shown_dir + file.filename().string();
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty() || line[0] == '#') continue;
      const std::string where = name + ":" + std::to_string(number);
      const auto fields = SplitTabs(line);
      if (fields.size() != 4) {
        problems.push_back(where + ": expected 4 tab-separated columns: texto, intent, dependencia, colonia");
        continue;
      }
      GoldenCase golden{where, fields[0], fields[1], fields[2], fields[3]};
      if (!intents.contains(golden.intent)) {
        problems.push_back(where + ": unknown intent '" + golden.intent + "'");
      }
      const auto& deps = rules.dependencias();
      if (golden.dependencia != "-" && golden.dependencia != "?" &&
          std::find(deps.begin(), deps.end(), golden.dependencia) == deps.end()) {
        problems.push_back(where + ": unknown dependencia '" + golden.dependencia + "'");
      }
      if (golden.colonia != "-") {
        const auto official = rules.gazetteer().OfficialName(golden.colonia);
        if (!official || *official != golden.colonia) {
          problems.push_back(where + ": '" + golden.colonia +
                             "' is not a SEPOMEX 2024 name (write it exactly as the catalogue)");
        }
      }
      // Exact repeats only: "holaaaa" and "hola" differ on purpose (they test the normaliser).
      if (!seen.insert(golden.text).second) {
        problems.push_back(where + ": the same text is already a case");
      }
      cases.push_back(std::move(golden));
    }
  }
}

Error ProblemsError(const std::vector<std::string>& problems) {
  std::string message;
  for (const auto& problem : problems) message += (message.empty() ? "" : "\n") + problem;
  return MakeError(Errc::kInvalidArgument, message);
}

}  // namespace

Result<std::vector<GoldenCase>> LoadCaseFile(const RuleSet& rules,
                                             const std::filesystem::path& file) {
  std::vector<GoldenCase> cases;
  std::vector<std::string> problems;
  ReadCaseFiles(rules, {file}, "", cases, problems);
  if (!problems.empty()) return ProblemsError(problems);
  return cases;
}

Result<std::vector<GoldenCase>> LoadGoldenCases(const RuleSet& rules) {
  std::vector<GoldenCase> cases;
  std::vector<std::string> problems;
  std::vector<std::filesystem::path> files;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(rules.dir() / "cases", error)) {
    if (entry.path().extension() == ".tsv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  ReadCaseFiles(rules, files, "cases/", cases, problems);
  if (!problems.empty()) return ProblemsError(problems);
  // The rules' own examples are cases too.
  for (const Categoria& categoria : rules.categorias()) {
    for (const std::string& example : categoria.examples) {
      // "?": an example is about its categoría; whether it names a colonia is not checked.
      cases.push_back({categoria.where + " (ejemplo)", example, "peticion", categoria.dependencia, "?"});
    }
  }
  for (const Intent& intent : rules.intents()) {
    for (const std::string& example : intent.examples) {
      const bool petition = intent.id == "peticion";
      cases.push_back({intent.where + " (ejemplo)", example, intent.id,
                       petition ? "?" : (intent.dependencia.empty() ? "-" : intent.dependencia),
                       "?"});
    }
  }
  return cases;
}

GoldenReport Evaluate(const Classifier& classifier, const std::vector<GoldenCase>& cases) {
  GoldenReport report;
  for (const GoldenCase& golden : cases) {
    const Classification got = classifier.Classify(golden.text);
    ++report.cases;
    const bool routed = !got.needs_review && !got.dependencia.empty();
    const std::string outcome = routed ? got.dependencia : (got.intent == "peticion" ? "cola" : "-");
    ++report.confusion[golden.dependencia][outcome];
    const bool routable = golden.dependencia != "-" && golden.dependencia != "?";
    std::string miss;
    if (routable) {
      ++report.routable;
      if (routed) ++report.routable_routed;
    }
    if (routed) {
      ++report.routed;
      if (got.dependencia == golden.dependencia) {
        ++report.routed_right;
      } else {
        miss += " dependencia " + golden.dependencia + " ≠ " + got.dependencia;
      }
    } else if (routable && golden.intent == "peticion") {
      miss += " dependencia " + golden.dependencia + " → cola (" +
              (got.dependencia.empty() ? "sin categoría" : got.dependencia) + ")";
    }
    if (got.intent == golden.intent) {
      ++report.intent_right;
    } else {
      miss += " intent " + golden.intent + " ≠ " + got.intent;
    }
    const std::string colonia = got.colonia ? got.colonia->name : "-";
    if (golden.colonia == "?") {
      // not checked
    } else if (golden.colonia != "-") {
      ++report.colonia_expected;
      if (colonia == golden.colonia) ++report.colonia_right;
    }
    if (golden.colonia != "?" && colonia != golden.colonia) {
      if (colonia != "-") ++report.colonia_wrong;
      miss += " colonia " + golden.colonia + " ≠ " + colonia;
    }
    if (!miss.empty()) {
      report.misses.push_back(golden.where + ":" + miss + "  «" + golden.text + "»");
    }
  }
  return report;
}

std::vector<std::string> GoldenReport::GateFailures(const Thresholds& t) const {
  std::vector<std::string> failures;
  const auto gate = [&](const char* what, double value, double minimum) {
    if (value < minimum) {
      failures.push_back(std::string(what) + " " + Percent(value) + " < " + Percent(minimum));
    }
  };
  gate("precision", Precision(), t.min_precision);
  gate("automatic", Automatic(), t.min_automatic);
  gate("intent accuracy", IntentAccuracy(), t.min_intent_accuracy);
  gate("colonia accuracy", ColoniaAccuracy(), t.min_colonia_accuracy);
  return failures;
}

std::vector<GoldenReport::DependenciaScore> GoldenReport::ByDependencia() const {
  std::map<std::string, DependenciaScore> scores;
  for (const auto& [want, row] : confusion) {
    for (const auto& [got, count] : row) {
      if (want != "-" && want != "?") scores[want].cases += count;
      scores[got].sent += count;
      if (got == want) scores[got].sent_right += count;
    }
  }
  std::vector<DependenciaScore> out;
  for (auto& [dependencia, score] : scores) {
    if (score.cases == 0) continue;  // "cola", "-": outcomes, not dependencias
    score.dependencia = dependencia;
    out.push_back(score);
  }
  return out;
}

std::string GoldenReport::Render() const {
  std::ostringstream out;
  std::set<std::string> outcomes;
  for (const auto& [want, row] : confusion) {
    for (const auto& [got, count] : row) outcomes.insert(got);
  }
  char line[160];
  out << "dependencia             casos  enviadas  precision  recall\n";
  // Precision of what SAC sent each dependencia, recall of what it should have got.
  for (const DependenciaScore& score : ByDependencia()) {
    std::snprintf(line, sizeof line, "%-22s %6d %9d %10s %7s\n", score.dependencia.c_str(),
                  score.cases, score.sent, score.sent == 0 ? "-" : Percent(score.Precision()).c_str(),
                  Percent(score.Recall()).c_str());
    out << line;
  }
  out << "\nconfusión (filas: esperada; columnas: lo que hizo SAC; cola = revisión humana)\n";
  std::snprintf(line, sizeof line, "%-22s", "");
  out << line;
  for (const std::string& got : outcomes) {
    std::snprintf(line, sizeof line, " %6.6s", got.c_str());
    out << line;
  }
  out << "\n";
  for (const auto& [want, row] : confusion) {
    std::snprintf(line, sizeof line, "%-22s", want.c_str());
    out << line;
    for (const std::string& got : outcomes) {
      const auto found = row.find(got);
      std::snprintf(line, sizeof line, " %6d", found == row.end() ? 0 : found->second);
      out << line;
    }
    out << "\n";
  }
  out << "\ncasos: " << cases << "\n"
      << "precisión de lo enrutado automáticamente: " << Percent(Precision()) << " (" << routed_right
      << "/" << routed << ")\n"
      << "enrutado automático: " << Percent(Automatic()) << " (" << routable_routed << "/"
      << routable << ")\n"
      << "exactitud de intención: " << Percent(IntentAccuracy()) << "\n"
      << "colonia: " << Percent(ColoniaAccuracy()) << " (" << colonia_right << "/"
      << colonia_expected << "), colonias equivocadas: " << colonia_wrong << "\n";
  return out.str();
}

}  // namespace sac::classify
