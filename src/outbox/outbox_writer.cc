#include "outbox/outbox_writer.h"

namespace sac::outbox {
namespace {

constexpr storage::Statement kEnqueue{
    "outbox.enqueue",
    "INSERT INTO outbox (channel, account_id, recipient, citizen_id, boleta_id, source_inbox_id,"
    "  purpose, body, next_attempt_at, created_at, updated_at)"
    "  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $9) "
    "ON CONFLICT (source_inbox_id, purpose) DO NOTHING"};

}  // namespace

void EnqueueReply(storage::Tx& tx, const NewReply& reply) {
  tx.Exec(kEnqueue, {reply.channel, reply.account_id, reply.recipient, reply.citizen_id,
                     reply.boleta_id, reply.source_inbox_id, reply.purpose, reply.body, reply.not_before});
  tx.Notify(kOutboxNotifyChannel);
}

}  // namespace sac::outbox
