// Benchmark: classification speed and memory. For the real rules and for synthetic rule sets of
// 100 and 1,000 patterns, on one core:
//   - messages/s of Classifier::Route (normalise, one RE2::Set pass, score),
//   - messages/s of Classifier::Classify (also colonia, address and the explanation),
//   - messages/s of the baseline: the same normalised texts against a plain loop of separate
//     RE2 objects, one per pattern,
//   - the rule set's load and compile time, and the peak memory the engine adds (each
//     configuration runs in its own child process).
// Targets (issue "Classification"): ≥ 500k msg/s at 100 patterns, ≥ 300k at 1,000, compile
// ≤ 0.5 s at 1,000, ≤ 50 MB at 1,000. Prints figures; asserts nothing.
//
//   build/release/tests/sac_classify_bench [rules dir]
#include <re2/re2.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "classify/classifier.h"
#include "classify/golden_cases.h"
#include "classify/rule_set.h"

namespace {

using namespace sac::classify;
using Stopwatch = std::chrono::steady_clock;
namespace fs = std::filesystem;

// Peak resident memory of this process (VmHWM), in MB.
double PeakResidentMegabytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

// A rules directory with `patterns` synthetic patterns (two-word phrases over a 400-word
// vocabulary, 10 per categoría), the real dependencias, colonias and abbreviations.
fs::path SyntheticRules(const fs::path& real, int patterns, std::vector<std::string>& vocabulary) {
  const fs::path dir = fs::temp_directory_path() / ("sac_bench_rules_" + std::to_string(patterns));
  fs::remove_all(dir);
  fs::create_directories(dir / "categorias");
  fs::create_directories(dir / "cases");
  fs::copy(real / "colonias", dir / "colonias", fs::copy_options::recursive);
  for (const char* file : {"dependencias.toml", "abreviaturas.toml", "clasificador.toml"}) {
    fs::copy_file(real / file, dir / file);
  }
  std::ofstream(dir / "intents.toml") << "[[intent]]\nid = \"saludo\"\npatrones = [{ re = '^hola\\b', peso = 2 }]\n";
  std::mt19937 random(7);
  vocabulary.clear();
  for (int i = 0; i < 400; ++i) {
    std::string word;
    for (int k = 0; k < 5 + static_cast<int>(random() % 4); ++k) word += static_cast<char>('a' + random() % 26);
    vocabulary.push_back(word);
  }
  const char* dependencias[] = {"jumapam", "aseo_urbano", "alumbrado_publico", "obras_publicas",
                                "ecologia", "seguridad_publica"};
  std::ofstream out(dir / "categorias" / "sinteticas.toml");
  for (int c = 0; c * 10 < patterns; ++c) {
    out << "[[categoria]]\nid = \"c" << c << "\"\nnombre = \"C" << c << "\"\ndependencia = \""
        << dependencias[c % 6] << "\"\nprioridad = \"normal\"\npatrones = [\n";
    for (int p = 0; p < 10 && c * 10 + p < patterns; ++p) {
      out << "  { re = '\\b" << vocabulary[random() % 400] << " (de |la )?"
          << vocabulary[random() % 400] << "\\b', peso = 3 },\n";
    }
    out << "]\n";
  }
  return dir;
}

std::vector<std::string> SyntheticMessages(const std::vector<std::string>& vocabulary, int count) {
  std::mt19937 random(11);
  const char* filler[] = {"hay", "un", "en", "la", "calle", "desde", "ayer", "por", "favor", "de"};
  std::vector<std::string> messages;
  for (int i = 0; i < count; ++i) {
    std::string text;
    const int words = 6 + static_cast<int>(random() % 10);
    for (int w = 0; w < words; ++w) {
      text += (w ? " " : "");
      text += random() % 3 == 0 ? vocabulary[random() % vocabulary.size()] : filler[random() % 10];
    }
    messages.push_back(text);
  }
  return messages;
}

template <class F>
double MessagesPerSecond(const std::vector<std::string>& messages, F&& classify) {
  // At least 0.5 s of work, whole passes over the messages.
  std::size_t done = 0;
  const auto start = Stopwatch::now();
  double seconds = 0;
  std::size_t sink = 0;
  do {
    for (const std::string& message : messages) sink += classify(message);
    done += messages.size();
    seconds = std::chrono::duration<double>(Stopwatch::now() - start).count();
  } while (seconds < 0.5);
  if (sink == 42) std::printf(" ");  // keep the work observable
  return static_cast<double>(done) / seconds;
}

void Run(const char* label, const fs::path& dir, const std::vector<std::string>& messages,
         double target_route, double memory_before) {
  const auto load_start = Stopwatch::now();
  auto loaded = RuleSet::Load(dir);
  const double load_seconds = std::chrono::duration<double>(Stopwatch::now() - load_start).count();
  if (!loaded) {
    std::printf("%s: rules refused:\n%s\n", label, loaded.error().message.c_str());
    return;
  }
  const auto rules = *loaded;
  const Classifier classifier(rules);
  // Compile alone: the patterns into a fresh RE2::Set, as RuleSet does.
  const auto compile_start = Stopwatch::now();
  RE2::Options options;
  options.set_max_mem(48LL << 20);
  RE2::Set set(options, RE2::UNANCHORED);
  for (const Pattern& pattern : rules->patterns()) set.Add(pattern.regex, nullptr);
  set.Compile();
  const double compile_seconds = std::chrono::duration<double>(Stopwatch::now() - compile_start).count();

  std::vector<std::string> normalized;
  for (const std::string& m : messages) normalized.push_back(rules->normalizer().Normalize(m));

  const double route = MessagesPerSecond(messages, [&](const std::string& m) {
    return classifier.Route(m).categoria.size();
  });
  const double full = MessagesPerSecond(messages, [&](const std::string& m) {
    return classifier.Classify(m).hits.size();
  });
  // The engine's memory: everything so far (rules, gazetteer, the DFA the messages grew).
  const double memory_after = PeakResidentMegabytes();
  std::vector<std::unique_ptr<RE2>> separate;
  for (const Pattern& pattern : rules->patterns()) separate.push_back(std::make_unique<RE2>(pattern.regex));
  const double baseline = MessagesPerSecond(normalized, [&](const std::string& m) {
    std::size_t hits = 0;
    for (const auto& re : separate) hits += RE2::PartialMatch(m, *re) ? 1 : 0;
    return hits;
  });
  std::printf("%-26s %5zu patterns | route %9.0f msg/s (%.2fx target, %.1fx baseline) | "
              "classify %8.0f msg/s | separate RE2 loop %8.0f msg/s | load %.3f s, RE2::Set "
              "compile %.3f s | engine memory +%.1f MB\n",
              label, rules->patterns().size(), route, route / target_route, route / baseline, full,
              baseline, load_seconds, compile_seconds, memory_after - memory_before);
}

// Runs `measure` in a child process, so that each configuration's memory figure is its own
// (a freed rule set's pages would otherwise be reused by the next one and hide its cost).
template <class F>
bool InChild(F&& measure) {
  std::fflush(stdout);
  const pid_t child = fork();
  if (child == 0) {
    measure();
    std::fflush(stdout);
    _exit(0);
  }
  int status = 0;
  return child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) &&
         WEXITSTATUS(status) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const fs::path real = argc > 1 ? fs::path(argv[1]) : fs::path(SAC_SOURCE_DIR) / "rules";
  bool ok = InChild([&] {
    const double memory_before = PeakResidentMegabytes();
    // Real rules on the golden cases' texts (read through a throwaway load, then freed).
    std::vector<std::string> golden;
    {
      auto rules = RuleSet::Load(real);
      if (!rules) {
        std::printf("rules refused:\n%s\n", rules.error().message.c_str());
        _exit(1);
      }
      if (auto cases = LoadGoldenCases(**rules)) {
        for (const auto& c : *cases) golden.push_back(c.text);
      }
    }
    Run("real rules, golden texts", real, golden, 500000, memory_before);
  });
  for (int patterns : {100, 1000}) {
    ok = InChild([&] {
      const double memory_before = PeakResidentMegabytes();
      std::vector<std::string> vocabulary;
      const fs::path dir = SyntheticRules(real, patterns, vocabulary);
      const auto messages = SyntheticMessages(vocabulary, 2000);
      Run(patterns == 100 ? "synthetic 100" : "synthetic 1000", dir, messages,
          patterns == 100 ? 500000 : 300000, memory_before);
      fs::remove_all(dir);
    }) && ok;
  }
  return ok ? 0 : 1;
}
