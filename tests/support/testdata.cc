#include "tests/support/testdata.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sac::testing {

std::filesystem::path SourceDir() { return SAC_SOURCE_DIR; }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::runtime_error("cannot read " + path.string());
  }
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

std::string ReadTestdata(const std::string& channel, const std::string& name) {
  return ReadFile(SourceDir() / "channels" / channel / "testdata" / name);
}

namespace {

std::map<std::string, std::string> ParseSignatures(const std::string& text) {
  std::istringstream lines(text);
  std::map<std::string, std::string> signatures;
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto tab = line.find('\t');
    if (tab != std::string::npos) {
      signatures[line.substr(0, tab)] = line.substr(tab + 1);
    }
  }
  return signatures;
}

}  // namespace

std::map<std::string, std::string> ReadSignatures(const std::string& channel) {
  return ParseSignatures(ReadTestdata(channel, "signatures.txt"));
}

std::map<std::string, std::string> ReadSignatures(const std::string& channel,
                                                  const std::string& folder) {
  return ParseSignatures(ReadTestdata(channel, folder + "/signatures.txt"));
}

}  // namespace sac::testing
