// API tokens of the dependencias' systems: random bearer tokens, shown once, stored as SHA-256.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/result.h"
#include "storage/database.h"

namespace sac::web {

struct ApiToken {
  std::int64_t id = 0;
  std::string dependencia_id;
  std::string label;
};

struct CreatedToken {
  std::int64_t id = 0;
  std::string token;  // the secret: print it once, it is not kept
};

// kInvalidArgument when the dependencia does not exist.
Result<CreatedToken> CreateApiToken(storage::Tx& tx, const std::string& dependencia_id,
                                    const std::string& label);

// The token's owner, from an "Authorization: Bearer <token>" value; nullopt when it is missing,
// malformed, unknown or revoked.
std::optional<ApiToken> AuthenticateApiToken(storage::Tx& tx, std::string_view authorization);

// Records that the token was used (at most once a minute, to keep writes and locks rare).
void TouchApiToken(storage::Tx& tx, std::int64_t id, TimePoint now);

// false when there is no such active token.
bool RevokeApiToken(storage::Tx& tx, std::int64_t id, TimePoint now);

}  // namespace sac::web
