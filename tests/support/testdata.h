// Reading channel testdata: payload files and their signature vectors (signatures.txt).
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace sac::testing {

// The source tree, as CMake passed it to the test program.
std::filesystem::path SourceDir();

// Exact bytes of a file.
std::string ReadFile(const std::filesystem::path& path);

// channels/<channel>/testdata/<name>
std::string ReadTestdata(const std::string& channel, const std::string& name);

// file name → header value, from channels/<channel>/testdata/signatures.txt.
std::map<std::string, std::string> ReadSignatures(const std::string& channel);

// The same for a channel whose fixtures come in folders (meta/: messenger/, instagram/):
// channels/<channel>/testdata/<folder>/signatures.txt, keyed by file name within the folder.
std::map<std::string, std::string> ReadSignatures(const std::string& channel,
                                                  const std::string& folder);

}  // namespace sac::testing
