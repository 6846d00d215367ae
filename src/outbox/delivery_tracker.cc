#include "outbox/delivery_tracker.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include "workflow/bitacora.h"

namespace sac::outbox {
namespace {

using storage::Statement;

// $7: the recipient, kept only while the news matches no reply of ours (see PlaceUnknownSend).
constexpr Statement kRecord{
    "delivery.record",
    "INSERT INTO delivery_event (channel, provider_message_id, state, occurred_at, error_code,"
    "  error_title, recipient) VALUES ($1, $2, $3, to_timestamp(nullif($4::float8, 0)), $5, $6, $7) "
    "ON CONFLICT (channel, provider_message_id, state) DO NOTHING"};

// News about `provider_message_id` for recipient $2 that matches no reply of ours: it is about
// our unknown send to them when exactly one is unknown, none is being sent right now (its news
// could be that one's), and the news is neither older than the reply nor from well before the
// send was given up on (5 minutes of clock skew; 15 for the send's own timeout and the skew).
// The outer condition on the state is checked again after the row lock: two pieces of news
// arriving together settle it once.
// $1 channel, $2 recipient, $3 provider id, $4 when the provider says it happened (0: unknown),
// $5 now.
constexpr Statement kPlaceUnknownSend{
    "delivery.place_unknown_send",
    "WITH candidates AS ("
    "  SELECT id FROM outbox WHERE channel = $1 AND recipient = $2 AND state = 'unknown'"
    "    AND ($4::float8 = 0 OR (created_at <= to_timestamp($4::float8) + interval '5 minutes'"
    "         AND updated_at <= to_timestamp($4::float8) + interval '15 minutes'))) "
    "UPDATE outbox o SET state = 'sent', provider_message_id = $3, updated_at = $5,"
    "  sent_at = coalesce(to_timestamp(nullif($4::float8, 0)), $5), last_error = NULL "
    "FROM candidates c WHERE o.id = c.id AND o.state = 'unknown'"
    "  AND (SELECT count(*) FROM candidates) = 1"
    "  AND NOT EXISTS (SELECT 1 FROM outbox s WHERE s.channel = $1 AND s.recipient = $2"
    "                  AND s.state = 'sending')"
    "  AND NOT EXISTS (SELECT 1 FROM outbox k WHERE k.channel = $1 AND k.provider_message_id = $3)"
    "  AND NOT EXISTS (SELECT 1 FROM outbox_piece p WHERE p.channel = $1"
    "                  AND p.provider_message_id = $3) "
    "RETURNING o.id, o.boleta_id, o.purpose"};

// The ids of recorded news for recipient $2 that matches no reply of ours, each with its earliest
// instant (the nearest to its send).
constexpr Statement kUnplacedNews{
    "delivery.unplaced_news",
    "SELECT d.provider_message_id, coalesce(min(extract(epoch FROM d.occurred_at))::float8, 0)"
    " FROM delivery_event d WHERE d.channel = $1 AND d.recipient = $2 AND d.recipient <> ''"
    "  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.channel = d.channel"
    "                  AND o.provider_message_id = d.provider_message_id)"
    "  AND NOT EXISTS (SELECT 1 FROM outbox_piece p WHERE p.channel = d.channel"
    "                  AND p.provider_message_id = d.provider_message_id)"
    " GROUP BY d.provider_message_id LIMIT 2"};

// $1 channel, $2 outbox id, $3 the earlier pieces' ids (text[]).
constexpr Statement kRecordPieces{
    "delivery.record_pieces",
    "WITH pieces AS ("
    "  INSERT INTO outbox_piece (channel, provider_message_id, outbox_id)"
    "  SELECT $1, id, $2 FROM unnest($3::text[]) AS id ON CONFLICT DO NOTHING RETURNING 1) "
    "UPDATE delivery_event SET recipient = '' WHERE channel = $1"
    "  AND provider_message_id = ANY($3::text[]) AND recipient <> ''"};

constexpr Statement kForgetRecipient{
    "delivery.forget_recipient",
    "UPDATE delivery_event SET recipient = '' WHERE channel = $1 AND provider_message_id = $2"
    "  AND recipient <> ''"};

constexpr Statement kAdvance{
    "delivery.advance",
    "UPDATE outbox SET delivery_status = $3,"
    "  delivery_error = CASE WHEN $3 = 'failed' THEN $4 ELSE delivery_error END,"
    "  updated_at = now() "
    "WHERE channel = $1 AND provider_message_id = $2"
    "  AND delivery_rank(coalesce(delivery_status, '')) < delivery_rank($3) "
    "RETURNING id"};

// A reply of ours: its last message, or an earlier piece of it.
constexpr Statement kKnown{
    "delivery.known_outbox",
    "SELECT 1 FROM outbox WHERE channel = $1 AND provider_message_id = $2 "
    "UNION ALL SELECT 1 FROM outbox_piece WHERE channel = $1 AND provider_message_id = $2"};

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


// Settles our unknown send to `recipient` with news about `provider_message_id` (kPlaceUnknownSend);
// true when it did.
bool PlaceUnknownSend(storage::Tx& tx, std::string_view channel, std::string_view recipient,
                      std::string_view provider_message_id, double at, TimePoint now) {
  const auto placed = tx.Exec(kPlaceUnknownSend, {channel, recipient, provider_message_id, at, now});
  if (placed.empty()) return false;
  const auto row = placed.at(0);
  tx.Exec(kForgetRecipient, {channel, provider_message_id});
  ApplyRecordedDeliveries(tx, row.Int(0), channel, provider_message_id);
  if (const auto boleta_id = row.OptInt(1)) {
    workflow::AppendEvent(tx, *boleta_id, now, "respuesta_enviada", workflow::Actor::System(),
                          std::nullopt, std::nullopt,
                          boost::json::serialize(boost::json::object{
                              {"outbox_id", row.Int(0)},
                              {"purpose", row.Text(2)},
                              {"channel", channel},
                              {"conciliada", true}}));
  }
  return true;
}

}  // namespace

ProcessOutcome ApplyDeliveryUpdate(storage::Tx& tx, const DeliveryUpdate& update, TimePoint now) {
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
  const bool advanced =
      !tx.Exec(kAdvance, {update.channel, update.provider_message_id, state, error}).empty();
  const bool known =
      advanced || !tx.Exec(kKnown, {update.channel, update.provider_message_id}).empty();
  tx.Exec(kRecord, {update.channel, update.provider_message_id, state,
                    static_cast<long long>(update.at), update.error_code, update.error_title,
                    known ? std::string() : update.recipient_id});
  if (update.state == DeliveryState::kFailed && update.recipient_unreachable) {
    tx.Exec(kBlockUnreachable, {update.channel, update.provider_message_id});
  }
  if (advanced) return ProcessOutcome::Processed("delivery " + state + " applied");
  if (known) return ProcessOutcome::Processed("delivery " + state + " recorded; already further along");
  if (!update.recipient_id.empty() &&
      PlaceUnknownSend(tx, update.channel, update.recipient_id, update.provider_message_id,
                       static_cast<double>(update.at), now)) {
    return ProcessOutcome::Processed("delivery " + state + " settles a send whose answer was lost");
  }
  return ProcessOutcome::Processed("delivery " + state +
                                   " recorded; no sent message with this id (yet)");
}

void ApplyRecordedDeliveries(storage::Tx& tx, std::int64_t outbox_id, std::string_view channel,
                             std::string_view provider_message_id) {
  tx.Exec(kApplyRecorded, {outbox_id, channel, provider_message_id});
}

void RecordEarlierPieces(storage::Tx& tx, std::string_view channel, std::int64_t outbox_id,
                         const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  std::string array = "{";
  for (const std::string& id : ids) {
    if (array.size() > 1) array += ',';
    array += '"';
    for (const char c : id) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  array += '}';
  tx.Exec(kRecordPieces, {channel, outbox_id, array});
}

bool PlaceRecordedNews(storage::Tx& tx, std::string_view channel, std::string_view recipient,
                       TimePoint now) {
  const auto news = tx.Exec(kUnplacedNews, {channel, recipient});
  if (news.size() != 1) return false;  // none, or news of two messages: which one is ours?
  return PlaceUnknownSend(tx, channel, recipient, news.at(0).Text(0), news.at(0).Double(1), now);
}

}  // namespace sac::outbox
