// WhatsApp Cloud API (Meta): GET handshake, signed webhooks, replies through the send API.
// Provider quirks, secrets and links: CHANNEL.md.
#pragma once

#include "config/config.h"
#include "core/channel.h"
#include "core/http_client.h"

namespace sac::channels::whatsapp {

class WhatsAppChannel final : public Channel {
 public:
  WhatsAppChannel(WhatsAppConfig config, HttpClient& http);

  std::string_view Name() const override;
  std::size_t MaxBodyBytes() const override { return config_.max_body_bytes; }
  std::optional<HttpResponse> AnswerHandshake(const HttpRequest& request) const override;
  Status Verify(const HttpRequest& request) const override;
  Result<ParsedWebhook> Parse(const HttpRequest& request) const override;
  std::optional<std::chrono::seconds> ReplyWindow() const override { return std::chrono::hours(24); }
  // GET /{media-id} gives a short-lived URL on Meta's CDN, fetched with the same token.
  Result<MediaSource> LocateMedia(const std::string& provider_media_id) override;
  SendOutcome Send(const OutboundMessage& message) override;

 private:
  WhatsAppConfig config_;
  HttpClient& http_;
};

}  // namespace sac::channels::whatsapp
