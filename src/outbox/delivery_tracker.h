// Delivery news from providers (sent, delivered, read, failed) for the replies we sent. Recorded
// in delivery_event and applied to the outbox row, only ever moving forward. News that arrives
// before we know our message's provider id is kept and applied when the sender records the id.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/inbound.h"
#include "core/inbox_item.h"
#include "storage/database.h"

namespace sac::outbox {

ProcessOutcome ApplyDeliveryUpdate(storage::Tx& tx, const DeliveryUpdate& update);

// Applies news already recorded for `provider_message_id` to outbox row `outbox_id`.
void ApplyRecordedDeliveries(storage::Tx& tx, std::int64_t outbox_id, std::string_view channel,
                             std::string_view provider_message_id);

}  // namespace sac::outbox
