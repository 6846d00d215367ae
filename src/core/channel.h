// Channel: what every messaging provider in channels/<name>/ implements. Channels are
// transport-neutral: they see plain HttpRequest values, never Beast or pqxx types, and they
// never touch the database (the intake stores what Parse returns).
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_message.h"
#include "core/inbound.h"
#include "core/media_source.h"
#include "core/outbound.h"
#include "core/result.h"

namespace sac {

class Channel {
 public:
  virtual ~Channel() = default;

  // Log/metric label and the `channel` of everything it stores.
  virtual std::string_view Name() const = 0;

  // Where the provider calls: /webhooks/<Name()> unless the provider has several endpoints
  // (Twilio: /webhooks/twilio/sms and /webhooks/twilio/status).
  virtual std::vector<std::string> WebhookPaths() const {
    return {"/webhooks/" + std::string(Name())};
  }

  // Whether a POST with this media type (lower case, without parameters) can be the provider's;
  // others are refused with 415 before parsing. Most providers send JSON.
  virtual bool AcceptsMediaType(std::string_view media_type) const {
    return media_type == "application/json";
  }

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

  // Where to download a media file this channel reported (InboundMessage::media's
  // provider_media_id). Blocking: some providers need a call first (WhatsApp turns a media id
  // into a short-lived URL; Telegram a file id into a path). Called from the media downloader.
  // kInvalidArgument for a channel without downloadable media; kUnavailable/kTimeout to retry;
  // kNotFound when the provider no longer has it.
  virtual Result<MediaSource> LocateMedia(const std::string& /*provider_media_id*/) {
    return MakeError(Errc::kInvalidArgument, "this channel has no media to download");
  }

  // Sends one reply. Blocking; called from outbox sender threads only.
  virtual SendOutcome Send(const OutboundMessage& message) = 0;
};

}  // namespace sac
