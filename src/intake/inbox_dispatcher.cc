#include "intake/inbox_dispatcher.h"

#include "intake/inbox_codec.h"
#include "outbox/delivery_tracker.h"

namespace sac::intake {

Result<ProcessOutcome> InboxDispatcher::Process(storage::Tx& tx, const InboxItem& item) {
  if (item.kind == InboxKind::kUnhandled) {
    return ProcessOutcome::Ignored(DecodeUnhandledReason(item.payload));
  }
  if (item.kind == InboxKind::kDelivery) {
    auto update = DecodeUpdate(item.payload);
    if (!update) {
      return update.error();
    }
    return outbox::ApplyDeliveryUpdate(tx, *update, clock_.Now());
  }
  auto message = DecodeMessage(item.payload);
  if (!message) {
    return message.error();
  }
  return messages_.Handle(tx, item.id, *message);
}

}  // namespace sac::intake
