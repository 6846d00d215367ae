#include "web/api_tokens.h"

#include "crypto/digest.h"

namespace sac::web {
namespace {

using storage::Statement;

constexpr std::string_view kPrefix = "sac_";

constexpr Statement kDependenciaExists{"api_token.dependencia_exists",
                                       "SELECT 1 FROM dependencia WHERE id = $1"};

constexpr Statement kInsert{
    "api_token.insert",
    "INSERT INTO api_token (dependencia_id, label, token_sha256) VALUES ($1, $2, $3) RETURNING id"};

// A plain read: a request must not hold a lock on its token row (parallel calls would queue).
constexpr Statement kFind{
    "api_token.find",
    "SELECT id, dependencia_id, label FROM api_token WHERE token_sha256 = $1 "
    "AND revoked_at IS NULL"};

constexpr Statement kTouch{
    "api_token.touch",
    "UPDATE api_token SET last_used_at = $2 WHERE id = $1 "
    "AND (last_used_at IS NULL OR last_used_at < $2::timestamptz - interval '1 minute')"};

constexpr Statement kRevoke{
    "api_token.revoke",
    "UPDATE api_token SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING id"};

}  // namespace

Result<CreatedToken> CreateApiToken(storage::Tx& tx, const std::string& dependencia_id,
                                    const std::string& label) {
  if (tx.Exec(kDependenciaExists, {dependencia_id}).empty()) {
    return MakeError(Errc::kInvalidArgument, "no existe la dependencia " + dependencia_id +
                                                 " (¿se cargó el catálogo con `sac seed`?)");
  }
  CreatedToken created;
  created.token = std::string(kPrefix) + crypto::RandomToken(24);  // 192 bits
  created.id = tx.Exec(kInsert, {dependencia_id, label, crypto::Sha256Hex(created.token)}).at(0).Int(0);
  return created;
}

std::optional<ApiToken> AuthenticateApiToken(storage::Tx& tx, std::string_view authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return std::nullopt;
  }
  const std::string_view token = authorization.substr(kBearer.size());
  if (token.size() > 128 || token.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  const auto rows = tx.Exec(kFind, {crypto::Sha256Hex(token)});
  if (rows.empty()) {
    return std::nullopt;
  }
  return ApiToken{rows.at(0).Int(0), rows.at(0).Text(1), rows.at(0).Text(2)};
}

void TouchApiToken(storage::Tx& tx, std::int64_t id, TimePoint now) {
  tx.Exec(kTouch, {id, now});
}

bool RevokeApiToken(storage::Tx& tx, std::int64_t id, TimePoint now) {
  return !tx.Exec(kRevoke, {id, now}).empty();
}

}  // namespace sac::web
