// Channel: what every messaging provider in channels/<name>/ implements. Channels are
// transport-neutral: they see plain HttpRequest values, never Beast or pqxx types, and they
// never touch the database (the intake stores what Parse returns).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

#include "core/http_message.h"
#include "core/inbound.h"
#include "core/outbound.h"
#include "core/result.h"

namespace sac {

class Channel {
 public:
  virtual ~Channel() = default;

  // URL segment and log/metric label: POST /webhooks/<Name()>.
  virtual std::string_view Name() const = 0;

  // Largest webhook body accepted; bigger requests get 413 before the body is read.
  virtual std::size_t MaxBodyBytes() const = 0;

  // Answers a provider's GET subscription handshake (Meta's hub.challenge). nullopt when the
  // channel has none (the route then answers 405).
  virtual std::optional<HttpResponse> AnswerHandshake(const HttpRequest& request) const = 0;

  // Checks that a POST really comes from the provider (signature or shared secret, compared in
  // constant time). kUnauthenticated otherwise. Must not log the body or the expected value.
  virtual Status Verify(const HttpRequest& request) const = 0;

  // Turns a verified request into messages and delivery updates. Pure: no I/O, no clock. Most
  // channels read only the body; form and multipart channels also need the Content-Type.
  // kInvalidArgument when the request is not what the provider sends.
  virtual Result<ParsedWebhook> Parse(const HttpRequest& request) const = 0;

  // The answer once a webhook is stored (or found to be a redelivery). Plain 200 "ok" suits most
  // providers; Twilio would text a text/plain body to the citizen, so it answers empty TwiML;
  // Telegram answers a button tap in the same response.
  virtual HttpResponse Acknowledge(const ParsedWebhook& /*parsed*/) const {
    return HttpResponse::Text(200, "ok\n");
  }

  // How long after the citizen's last message a free-form reply may be sent (Meta: 24 hours);
  // nullopt when the channel has no such window (Telegram, SMS, e-mail).
  virtual std::optional<std::chrono::seconds> ReplyWindow() const { return std::nullopt; }

  // Sends one reply. Blocking; called from outbox sender threads only.
  virtual SendOutcome Send(const OutboundMessage& message) = 0;
};

}  // namespace sac
