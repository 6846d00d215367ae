// Who wrote: maps a channel identity to a citizen, creating both on first contact. A phone number
// shared across channels links the identities to one citizen.
#pragma once

#include <cstdint>
#include <optional>
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
// Any message from the identity lifts a block (the citizen is talking to us again).
ResolvedCitizen Resolve(storage::Tx& tx, const InboundMessage& message);

// The citizen proved `phone` is theirs (WhatsApp and SMS reveal it; a Telegram citizen shares
// their own contact). A citizen without a phone takes it; when another citizen already has it,
// the two are one person: everything of `citizen_id` moves to that one, whose id is returned. A
// citizen who already has a different number keeps it (a second number proves nothing).
std::int64_t LinkPhone(storage::Tx& tx, std::int64_t citizen_id, std::string_view phone);

// A citizen staff capture from a phone call or a visit: the one who already has `phone` (E.164),
// or a new one with the name and phone given. nullopt when neither is given (an anonymous
// petition).
std::optional<std::int64_t> ForCapture(storage::Tx& tx, std::string_view display_name,
                                       std::string_view phone);

// The citizen blocked us on this channel identity: the outbox sends nothing more to it.
void MarkBlocked(storage::Tx& tx, std::string_view channel, std::string_view external_id);

}  // namespace sac::citizens
