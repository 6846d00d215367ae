// Routes a claimed inbox row to the module that knows what it means: citizen messages to the
// conversation, delivery news to the outbox.
#pragma once

#include "conversation/inbound_handler.h"
#include "intake/pipeline.h"

namespace sac::intake {

class InboxDispatcher final : public InboxProcessor {
 public:
  explicit InboxDispatcher(conversation::InboundHandler& messages) : messages_(messages) {}

  Result<ProcessOutcome> Process(storage::Tx& tx, const InboxItem& item) override;

 private:
  conversation::InboundHandler& messages_;
};

}  // namespace sac::intake
