// Who wrote: maps a channel identity to a citizen, creating both on first contact. A phone number
// shared across channels links the identities to one citizen.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/inbound.h"
#include "storage/database.h"

namespace sac::citizens {

struct ResolvedCitizen {
  std::int64_t id = 0;
  bool new_identity = false;  // first message ever from this channel identity
};

// Call inside the transaction that handles the message. Serialises per identity (an advisory
// transaction lock), so two messages of a new citizen processed at once create one citizen.
ResolvedCitizen Resolve(storage::Tx& tx, const InboundMessage& message);

}  // namespace sac::citizens
