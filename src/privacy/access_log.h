// The access log of citizens' personal data (personal_data_access, written by the staff web and
// the dependencias' API) is a hash chain (migrations 0021, 0038): this recomputes it. Run by
// `sac audit verify` and daily by the scheduler; the head hash it returns, kept outside the
// database, anchors the chain.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace sac::privacy {

struct AccessLogCheck {
  std::int64_t rows = 0;
  std::optional<std::int64_t> first_broken;  // chain position of the first row that does not fit
  std::string head;                          // hex SHA-256 of the last row ("" when empty)
};

AccessLogCheck VerifyAccessLog(storage::Tx& tx);

}  // namespace sac::privacy
