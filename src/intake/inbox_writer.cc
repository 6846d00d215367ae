#include "intake/inbox_writer.h"

#include "core/inbound.h"
#include "intake/inbox_codec.h"

namespace sac::intake {
namespace {

using storage::Param;
using storage::Statement;

constexpr Statement kInsertRequest{
    "inbox.insert_request",
    "INSERT INTO webhook_request (channel, body, received_at) VALUES ($1, $2::bytea, $3) "
    "RETURNING id"};

constexpr Statement kInsertRow{
    "inbox.insert_row",
    "INSERT INTO inbox (request_id, channel, dedupe_key, kind, sender_id, payload,"
    "  received_at, next_attempt_at) "
    "VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $7) ON CONFLICT (channel, dedupe_key) DO NOTHING "
    "RETURNING id"};

struct PendingRow {
  std::string dedupe_key;
  const char* kind;
  std::string sender_id;
  std::string payload;
};

// A delivery update is unique per provider message and state: "delivered" then "read" are two
// rows, a redelivered "read" is a duplicate.
std::string UpdateKey(const DeliveryUpdate& update) {
  if (update.provider_message_id.empty() && update.watermark != 0) {
    return "status:" + update.recipient_id + "@" + std::to_string(update.watermark) + ":" +
           DeliveryStateName(update.state);
  }
  return "status:" + update.provider_message_id + ":" + DeliveryStateName(update.state);
}

}  // namespace

std::optional<std::int64_t> StoreMessage(storage::Tx& tx, std::string_view channel,
                                         std::string_view raw_body, const InboundMessage& message,
                                         TimePoint now) {
  const std::int64_t request_id =
      tx.Exec(kInsertRequest, {channel, Param::Bytes(raw_body), now}).at(0).Int(0);
  const auto inserted = tx.Exec(kInsertRow, {request_id, channel, message.external_id, "message",
                                             message.sender_id, EncodeMessage(message), now});
  if (inserted.empty()) {
    return std::nullopt;
  }
  tx.Notify(kInboxNotifyChannel);
  return inserted.at(0).Int(0);
}

StoreSummary StoreParsed(storage::Tx& tx, std::string_view channel, std::string_view raw_body,
                         const ParsedWebhook& parsed, TimePoint now) {
  std::vector<PendingRow> rows;
  for (const InboundMessage& message : parsed.messages) {
    rows.push_back({message.external_id, "message", message.sender_id, EncodeMessage(message)});
  }
  for (const DeliveryUpdate& update : parsed.updates) {
    rows.push_back({UpdateKey(update), "delivery", "", EncodeUpdate(update)});
  }
  StoreSummary summary;
  if (rows.empty()) {
    return summary;
  }
  const std::int64_t request_id =
      tx.Exec(kInsertRequest, {channel, Param::Bytes(raw_body), now}).at(0).Int(0);
  for (const PendingRow& row : rows) {
    const auto inserted = tx.Exec(kInsertRow, {request_id, channel, row.dedupe_key, row.kind,
                                               row.sender_id, row.payload, now});
    inserted.empty() ? ++summary.duplicates : ++summary.stored;
  }
  if (summary.stored > 0) {
    tx.Notify(kInboxNotifyChannel);
  }
  return summary;
}

Result<StoreSummary> InboxWriter::Store(std::string_view channel, std::string_view raw_body,
                                        const ParsedWebhook& parsed) {
  if (parsed.messages.empty() && parsed.updates.empty()) {
    return StoreSummary{};
  }
  const TimePoint now = clock_.Now();
  return database_.Transact([&](storage::Tx& tx) {
    const StoreSummary summary = StoreParsed(tx, channel, raw_body, parsed, now);
    if (summary.stored == 0) {
      tx.RollbackAtEnd();  // a pure redelivery: not even the raw request is kept again
    }
    return summary;
  });
}

}  // namespace sac::intake
