#include "outbox/delivery_tracker.h"

namespace sac::outbox {
namespace {

using storage::Statement;

constexpr Statement kRecord{
    "delivery.record",
    "INSERT INTO delivery_event (channel, provider_message_id, state, occurred_at, error_code,"
    "  error_title) VALUES ($1, $2, $3, to_timestamp(nullif($4::float8, 0)), $5, $6) "
    "ON CONFLICT (channel, provider_message_id, state) DO NOTHING"};

constexpr Statement kAdvance{
    "delivery.advance",
    "UPDATE outbox SET delivery_status = $3,"
    "  delivery_error = CASE WHEN $3 = 'failed' THEN $4 ELSE delivery_error END,"
    "  updated_at = now() "
    "WHERE channel = $1 AND provider_message_id = $2"
    "  AND delivery_rank(coalesce(delivery_status, '')) < delivery_rank($3) "
    "RETURNING id"};

constexpr Statement kKnown{
    "delivery.known_outbox",
    "SELECT 1 FROM outbox WHERE channel = $1 AND provider_message_id = $2"};

constexpr Statement kApplyRecorded{
    "delivery.apply_recorded",
    "WITH best AS ("
    "  SELECT state, nullif(error_code || ' ' || error_title, ' ') AS error FROM delivery_event"
    "  WHERE channel = $2 AND provider_message_id = $3"
    "  ORDER BY delivery_rank(state) DESC LIMIT 1) "
    "UPDATE outbox o SET delivery_status = best.state,"
    "  delivery_error = CASE WHEN best.state = 'failed' THEN best.error ELSE o.delivery_error END "
    "FROM best WHERE o.id = $1"
    "  AND delivery_rank(coalesce(o.delivery_status, '')) < delivery_rank(best.state)"};

// Messenger's watermark: every message we sent to the recipient up to that instant.
constexpr Statement kAdvanceUpToWatermark{
    "delivery.advance_watermark",
    "UPDATE outbox SET delivery_status = $4, updated_at = now() "
    "WHERE channel = $1 AND recipient = $2 AND state = 'sent'"
    "  AND sent_at <= to_timestamp($3::float8 / 1000)"
    "  AND delivery_rank(coalesce(delivery_status, '')) < delivery_rank($4)"};

// The provider says the address we sent to is dead (an e-mail hard bounce): the identity that
// row went to gets nothing more until the citizen writes again. Keyed by our own message id, so
// only news about a message we really sent can block anyone.
constexpr Statement kBlockUnreachable{
    "delivery.block_unreachable",
    "UPDATE citizen_identity i SET blocked_at = now() FROM outbox o "
    "WHERE o.channel = $1 AND o.provider_message_id = $2"
    "  AND i.channel = o.channel AND i.external_id = o.recipient AND i.blocked_at IS NULL"};

}  // namespace

ProcessOutcome ApplyDeliveryUpdate(storage::Tx& tx, const DeliveryUpdate& update) {
  const std::string state = DeliveryStateName(update.state);
  if (update.provider_message_id.empty() && update.watermark != 0) {
    const auto advanced = tx.Exec(kAdvanceUpToWatermark,
                                  {update.channel, update.recipient_id,
                                   static_cast<long long>(update.watermark), state});
    return ProcessOutcome::Processed("delivery " + state + " up to a watermark: " +
                                     std::to_string(advanced.affected()) + " messages");
  }
  const std::string error =
      update.error_code.empty() ? std::string() : update.error_code + " " + update.error_title;
  tx.Exec(kRecord, {update.channel, update.provider_message_id, state,
                    static_cast<long long>(update.at), update.error_code, update.error_title});
  if (update.state == DeliveryState::kFailed && update.recipient_unreachable) {
    tx.Exec(kBlockUnreachable, {update.channel, update.provider_message_id});
  }
  if (!tx.Exec(kAdvance, {update.channel, update.provider_message_id, state, error}).empty()) {
    return ProcessOutcome::Processed("delivery " + state + " applied");
  }
  if (!tx.Exec(kKnown, {update.channel, update.provider_message_id}).empty()) {
    return ProcessOutcome::Processed("delivery " + state + " recorded; already further along");
  }
  return ProcessOutcome::Processed("delivery " + state +
                                   " recorded; no sent message with this id (yet)");
}

void ApplyRecordedDeliveries(storage::Tx& tx, std::int64_t outbox_id, std::string_view channel,
                             std::string_view provider_message_id) {
  tx.Exec(kApplyRecorded, {outbox_id, channel, provider_message_id});
}

}  // namespace sac::outbox
