// The access log the data-protection law asks for: every time a staff page shows a citizen's
// personal data (their words, name, phone, address, photos), who saw which boleta's which
// fields, where and when. Written in the page's own transaction; the application may only add.
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

}  // namespace sac::web
