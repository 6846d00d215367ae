// The access log the data-protection law asks for: every time a staff page or the dependencias'
// API shows a citizen's personal data (their words, name, phone, address, photos), who saw which
// boleta's which fields, where and when. Written in the page's own transaction; the application
// may only add.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "storage/database.h"

namespace sac::web {

void RecordPersonalDataView(storage::Tx& tx, std::int64_t user_id,
                            const std::vector<std::int64_t>& boleta_ids,
                            const std::vector<std::string_view>& fields, std::string_view route,
                            TimePoint now);

// The same for a read through /api/v1: the reader is the API token.
void RecordApiDataView(storage::Tx& tx, std::int64_t api_token_id,
                       const std::vector<std::int64_t>& boleta_ids,
                       const std::vector<std::string_view>& fields, std::string_view route,
                       TimePoint now);

// A staff member asked for a boleta they may not see (another dependencia's) and was answered as
// if it did not exist: recorded in the same log, with the field "acceso_denegado", so that who
// tried is on record next to who saw.
void RecordRefusedView(storage::Tx& tx, std::int64_t user_id, std::int64_t boleta_id,
                       std::string_view route, TimePoint now);

}  // namespace sac::web
