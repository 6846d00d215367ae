// SMS and MMS through Twilio Programmable Messaging: signed form webhooks for incoming messages
// and status callbacks, replies through the Messages API. Provider quirks, secrets and links:
// CHANNEL.md.
#pragma once

#include "config/config.h"
#include "core/channel.h"
#include "core/http_client.h"

namespace sac::channels::twilio_sms {

class TwilioSmsChannel final : public Channel {
 public:
  // `public_base_url`: how Twilio reaches us (it signs the URL it called).
  TwilioSmsChannel(TwilioSmsConfig config, std::string public_base_url, HttpClient& http);

  std::string_view Name() const override;
  std::vector<std::string> WebhookPaths() const override;
  bool AcceptsMediaType(std::string_view media_type) const override;
  std::size_t MaxBodyBytes() const override { return config_.max_body_bytes; }
  std::optional<HttpResponse> AnswerHandshake(const HttpRequest& request) const override;
  Status Verify(const HttpRequest& request) const override;
  Result<ParsedWebhook> Parse(const HttpRequest& request) const override;
  // Empty TwiML: a text/plain "ok" would be texted to the citizen.
  HttpResponse Acknowledge(const ParsedWebhook& parsed) const override;
  // The MMS MediaUrl itself, with Basic auth; Twilio redirects to its media CDN.
  Result<MediaSource> LocateMedia(const std::string& provider_media_id) override;
  SendOutcome Send(const OutboundMessage& message) override;

 private:
  TwilioSmsConfig config_;
  std::string public_base_url_;
  HttpClient& http_;
};

}  // namespace sac::channels::twilio_sms
