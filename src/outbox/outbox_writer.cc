#include "outbox/outbox_writer.h"

namespace sac::outbox {
namespace {

constexpr storage::Statement kEnqueue{
    "outbox.enqueue",
    "INSERT INTO outbox (channel, account_id, recipient, citizen_id, boleta_id, source_inbox_id,"
    "  purpose, body, next_attempt_at, created_at, updated_at)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) "
    "ON CONFLICT (source_inbox_id, purpose) DO NOTHING"};

constexpr storage::Statement kEnqueueToCitizen{
    "outbox.enqueue_to_boleta_citizen",
    "INSERT INTO outbox (channel, account_id, recipient, citizen_id, boleta_id, purpose, body,"
    "  next_attempt_at, created_at, updated_at) "
    "SELECT i.channel, coalesce(i.payload->>'account_id', ''), i.sender_id, b.citizen_id, b.id,"
    "  $2, $3, $4, $4, $4 "
    "FROM boleta b JOIN inbox i ON i.id = b.source_inbox_id "
    "WHERE b.id = $1 AND i.channel <> 'open311' RETURNING id"};

}  // namespace

bool EnqueueToBoletaCitizen(storage::Tx& tx, std::int64_t boleta_id, std::string_view purpose,
                            std::string_view body, TimePoint not_before) {
  if (tx.Exec(kEnqueueToCitizen, {boleta_id, purpose, body, not_before}).empty()) return false;
  tx.Notify(kOutboxNotifyChannel);
  return true;
}

void EnqueueReply(storage::Tx& tx, const NewReply& reply) {
  tx.Exec(kEnqueue, {reply.channel, reply.account_id, reply.recipient, reply.citizen_id,
                     reply.boleta_id, reply.source_inbox_id, reply.purpose, reply.body, reply.not_before});
  tx.Notify(kOutboxNotifyChannel);
}

}  // namespace sac::outbox
