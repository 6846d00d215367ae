// Telegram Bot API: webhooks carrying the secret token we registered with setWebhook, replies
// through sendMessage. Provider quirks, secrets and links: CHANNEL.md.
#pragma once

#include "config/config.h"
#include "core/channel.h"
#include "core/http_client.h"

namespace sac::channels::telegram {

class TelegramChannel final : public Channel {
 public:
  TelegramChannel(TelegramConfig config, HttpClient& http);

  std::string_view Name() const override;
  std::size_t MaxBodyBytes() const override { return config_.max_body_bytes; }
  std::optional<HttpResponse> AnswerHandshake(const HttpRequest& request) const override;
  Status Verify(const HttpRequest& request) const override;
  Result<ParsedWebhook> Parse(const HttpRequest& request) const override;
  // Stops the spinner of a tapped button by answering answerCallbackQuery in the response.
  HttpResponse Acknowledge(const ParsedWebhook& parsed) const override;
  // getFile turns a file id into a path under /file/bot<token>/ (files up to 20 MB).
  Result<MediaSource> LocateMedia(const std::string& provider_media_id) override;
  SendOutcome Send(const OutboundMessage& message) override;

 private:
  TelegramConfig config_;
  std::string bot_id_;  // the digits before ':' in the bot token
  HttpClient& http_;
};

}  // namespace sac::channels::telegram
