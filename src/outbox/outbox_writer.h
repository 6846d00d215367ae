// Queues a reply to a citizen inside the transaction of the change that caused it (the
// transactional outbox): if that change rolls back, no reply is ever sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "storage/database.h"

namespace sac::outbox {

inline constexpr std::string_view kOutboxNotifyChannel = "sac_outbox";

struct NewReply {
  std::string channel;
  std::string account_id;
  std::string recipient;  // the citizen's channel identity, as they wrote from
  std::optional<std::int64_t> citizen_id;
  std::optional<std::int64_t> boleta_id;
  std::optional<std::int64_t> source_inbox_id;
  std::string purpose;  // acuse_boleta, tipo_no_soportado, ...
  std::string body;
  TimePoint not_before;  // from the caller's Clock: scheduling never mixes clocks
};

// Queues one reply; a second reply with the same (source_inbox_id, purpose) is not queued again.
void EnqueueReply(storage::Tx& tx, const NewReply& reply);

// Queues a message about a boleta to the citizen who reported it, on the channel and identity
// they used (a status change, the 10-day check-in). Nothing for boletas without one (captured by
// staff) or whose channel cannot be written to (the app, which shows the status itself).
// Returns whether a message was queued.
bool EnqueueToBoletaCitizen(storage::Tx& tx, std::int64_t boleta_id, std::string_view purpose,
                            std::string_view body, TimePoint not_before);

}  // namespace sac::outbox
