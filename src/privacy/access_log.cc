#include "privacy/access_log.h"

namespace sac::privacy {
namespace {

// A row fits when its position is the next one, it names the previous row's hash, and its own
// hash is that of the previous hash and its content (personal_data_access_body, the same
// function the insert trigger uses).
constexpr storage::Statement kVerify{
    "privacy.verify_access_log",
    "WITH ordered AS ("
    "  SELECT chain_seq, prev_hash, row_hash, row_number() OVER w AS position,"
    "    lag(row_hash) OVER w AS before,"
    "    personal_data_access_body(chain_seq, user_id, boleta_id, fields, route, at, api_token_id)"
    "      AS body"
    "  FROM personal_data_access WINDOW w AS (ORDER BY chain_seq)) "
    "SELECT (SELECT count(*) FROM ordered),"
    "  (SELECT min(position) FROM ordered WHERE chain_seq <> position"
    "     OR prev_hash IS DISTINCT FROM coalesce(before, '\\x'::bytea)"
    "     OR row_hash IS DISTINCT FROM sha256(prev_hash || body)),"
    "  coalesce((SELECT encode(row_hash, 'hex') FROM ordered ORDER BY chain_seq DESC LIMIT 1), '')"};

}  // namespace

AccessLogCheck VerifyAccessLog(storage::Tx& tx) {
  const auto row = tx.Exec(kVerify, {}).at(0);
  AccessLogCheck check;
  check.rows = row.Int(0);
  if (!row.IsNull(1)) check.first_broken = row.Int(1);
  check.head = row.Text(2);
  return check;
}

}  // namespace sac::privacy
