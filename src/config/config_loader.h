// Loads Config strictly: a TOML file over the defaults, then the environment. Unknown keys, bad
// values and secrets written into the file are errors that name the key.
//
// Environment: SAC_HTTP_PORT, SAC_DATABASE_URL and SAC_LOG_LEVEL override the file;
// SAC_WHATSAPP_APP_SECRET, SAC_WHATSAPP_VERIFY_TOKEN and SAC_WHATSAPP_ACCESS_TOKEN are the
// only source of secrets.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/result.h"

namespace sac {

using Environment = std::function<std::optional<std::string>(std::string_view name)>;

// The real process environment.
Environment ProcessEnvironment();

// `file` may be empty: defaults plus environment.
Result<Config> LoadConfig(const std::filesystem::path& file, const Environment& env);

// The same, from TOML text (tests, and LoadConfig after reading the file).
Result<Config> LoadConfigFromString(std::string_view toml_text, std::string_view source_name,
                                    const Environment& env);

// What `sac serve` needs on top of a well-formed file: a database and every secret of each
// enabled channel.
Status ValidateForServe(const Config& config);

// What commands that only talk to the database need (migrate, seed).
Status ValidateDatabase(const Config& config);

}  // namespace sac
