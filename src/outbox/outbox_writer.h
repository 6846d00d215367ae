// Queues a reply to a citizen inside the transaction of the change that caused it (the
// transactional outbox): if that change rolls back, no reply is ever sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/outbound.h"
#include "storage/database.h"

namespace sac::outbox {

inline constexpr std::string_view kOutboxNotifyChannel = "sac_outbox";

// Named values an approved provider template may take, captured with the message: {"folio",
// "2026-000123"}, {"dependencia", "JUMAPAM"}. The template registry picks and orders them.
using TemplateParams = std::vector<std::pair<std::string, std::string>>;

struct NewReply {
  std::string channel;
  std::string account_id;
  std::string recipient;  // the citizen's channel identity, as they wrote from
  std::optional<std::int64_t> citizen_id;
  std::optional<std::int64_t> boleta_id;
  std::optional<std::int64_t> source_inbox_id;
  std::string purpose;  // acuse_boleta, tipo_no_soportado, ...
  std::string body;
  TemplateParams template_params;
  std::vector<ReplyButton> buttons;
  TimePoint not_before;  // from the caller's Clock: scheduling never mixes clocks
};

// Queues one reply; a second reply with the same (source_inbox_id, purpose) is not queued again.
void EnqueueReply(storage::Tx& tx, const NewReply& reply);

// Queues a message about a boleta to the citizen who reported it, on the channel and identity
// they used (a status change, the 10-day check-in). Nothing for boletas without one (captured by
// staff) or whose channel cannot be written to (the app, which shows the status itself).
// Returns whether a message was queued.
bool EnqueueToBoletaCitizen(storage::Tx& tx, std::int64_t boleta_id, std::string_view purpose,
                            std::string_view body, const TemplateParams& template_params,
                            TimePoint not_before);

// The JSON stored in outbox.template_params and outbox.buttons (NULL when empty).
std::optional<std::string> TemplateParamsJson(const TemplateParams& params);
std::optional<std::string> ButtonsJson(const std::vector<ReplyButton>& buttons);

}  // namespace sac::outbox
