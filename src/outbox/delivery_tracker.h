// Delivery news from providers (sent, delivered, read, failed) for the replies we sent. Recorded
// in delivery_event and applied to the outbox row, only ever moving forward. News that arrives
// before we know our message's provider id is kept and applied when the sender records the id.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/inbound.h"
#include "core/inbox_item.h"
#include "storage/database.h"

namespace sac::outbox {

// News that matches no reply by id but names its recipient settles a send of ours to them whose
// answer was lost (state 'unknown'), when that send is the only candidate.
ProcessOutcome ApplyDeliveryUpdate(storage::Tx& tx, const DeliveryUpdate& update, TimePoint now);

// Applies news already recorded for `provider_message_id` to outbox row `outbox_id`.
void ApplyRecordedDeliveries(storage::Tx& tx, std::int64_t outbox_id, std::string_view channel,
                             std::string_view provider_message_id);

// A reply that went as several messages: the ids of the pieces before the last, known from now
// on as this reply's (news about them settles no other send).
void RecordEarlierPieces(storage::Tx& tx, std::string_view channel, std::int64_t outbox_id,
                         const std::vector<std::string>& ids);

// For a send to `recipient` just marked unknown: news the provider sent before we stopped waiting
// (about one message matching none of ours) settles it at once. True when it did.
bool PlaceRecordedNews(storage::Tx& tx, std::string_view channel, std::string_view recipient,
                       TimePoint now);

}  // namespace sac::outbox
