// The HTTP face of a channel: GET handshake and POST webhook. A POST is verified, parsed, stored
// in the inbox and committed before it is acknowledged; nothing slow happens here.
//
//   bad signature → 401, nothing written      wrong Content-Type → 415, nothing written
//   malformed body → 400, nothing written     stored or redelivered → 200 (the channel's answer)
//   database unavailable → 503 (the provider retries)
#pragma once

#include "core/channel.h"
#include "core/http_message.h"
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
  HttpResponse HandlePost(const HttpRequest& request) const;

 private:
  const Channel& channel_;
  InboxWriter& writer_;
  Metrics& metrics_;
};

}  // namespace sac::intake
