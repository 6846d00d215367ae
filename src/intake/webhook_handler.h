// The HTTP face of a channel: GET handshake and POST webhook. A POST is verified, parsed, stored
// in the inbox and committed before it is acknowledged; nothing slow happens here, and no thread
// waits for the commit (the inbox writer calls back).
//
//   bad signature → 401, nothing written      wrong Content-Type → 415, nothing written
//   malformed body → 400, nothing written     stored or redelivered → 200 (the channel's answer)
//   database unavailable → 503 (the provider retries)
#pragma once

#include "core/channel.h"
#include "core/http_message.h"
#include "http/router.h"
#include "intake/inbox_writer.h"

namespace sac {
class Metrics;
}

namespace sac::intake {

class WebhookHandler {
 public:
  WebhookHandler(const Channel& channel, InboxWriter& writer, Metrics& metrics)
      : channel_(channel), writer_(writer), metrics_(metrics) {}

  HttpResponse HandleGet(const HttpRequest& request) const;
  // Never blocks: verification and parsing run on the caller's (io) thread, and the answer goes
  // to `respond` from the inbox writer's committer once the webhook is committed.
  void HandlePost(const HttpRequest& request, http::Respond respond) const;

 private:
  HttpResponse Answer(const ParsedWebhook& parsed, const Result<StoreSummary>& stored) const;

  const Channel& channel_;
  InboxWriter& writer_;
  Metrics& metrics_;
};

}  // namespace sac::intake
