// Routes a claimed inbox row to the module that knows what it means: citizen messages to the
// conversation, delivery news to the outbox; what SAC does not act on is ignored with its reason.
#pragma once

#include "conversation/inbound_handler.h"
#include "core/clock.h"
#include "intake/pipeline.h"

namespace sac::intake {

class InboxDispatcher final : public InboxProcessor {
 public:
  InboxDispatcher(conversation::InboundHandler& messages, const Clock& clock)
      : messages_(messages), clock_(clock) {}

  Result<ProcessOutcome> Process(storage::Tx& tx, const InboxItem& item) override;

 private:
  conversation::InboundHandler& messages_;
  const Clock& clock_;
};

}  // namespace sac::intake
