// libFuzzer target: the rules loader on any categoría file — TOML, weights, RE2 patterns written
// by staff — next to the real intents, colonias and thresholds. An error naming file:line or a
// rule set, never a crash (the `fuzz` preset; seeds: rules/categorias/*.toml).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "classify/rule_set.h"

namespace {

// A private copy of rules/ whose categorias/ holds only the file under test, and whose colonias
// are the first hundred of each list (loading thousands per input would leave little time to fuzz).
std::filesystem::path RulesCopy() {
  static const std::filesystem::path dir = [] {
    const auto copy = std::filesystem::temp_directory_path() / ("sac_rules_fuzz_" + std::to_string(::getpid()));
    std::filesystem::remove_all(copy);
    std::filesystem::copy(SAC_RULES_DIR, copy, std::filesystem::copy_options::recursive);
    std::filesystem::remove_all(copy / "categorias");
    std::filesystem::create_directories(copy / "categorias");
    for (const auto& entry : std::filesystem::directory_iterator(copy / "colonias")) {
      if (entry.path().extension() != ".csv") continue;
      std::ifstream in(entry.path());
      std::string kept, line;
      for (int n = 0; n < 100 && std::getline(in, line); ++n) kept += line + "\n";
      in.close();
      std::ofstream(entry.path(), std::ios::trunc) << kept;
    }
    return copy;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::filesystem::path dir = RulesCopy();
  std::ofstream(dir / "categorias" / "fuzz.toml", std::ios::binary | std::ios::trunc)
      .write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  (void)sac::classify::RuleSet::Load(dir);
  return 0;
}
