// Messenger and Instagram (Meta): the GET handshake, signed webhooks and replies through the
// Send API. One class, two instances (one per Product); provider quirks, secrets and links:
// CHANNEL.md.
#pragma once

#include "channels/meta/product.h"
#include "config/config.h"
#include "core/channel.h"
#include "core/http_client.h"

namespace sac::channels::meta {

class MetaChannel final : public Channel {
 public:
  MetaChannel(const Product& product, MetaChannelConfig config, HttpClient& http);

  std::string_view Name() const override { return product_.channel; }
  std::size_t MaxBodyBytes() const override { return config_.max_body_bytes; }
  std::optional<HttpResponse> AnswerHandshake(const HttpRequest& request) const override;
  Status Verify(const HttpRequest& request) const override;
  Result<ParsedWebhook> Parse(const HttpRequest& request) const override;
  // Standard messaging: free-form replies only within 24 hours of the citizen's last message.
  std::optional<std::chrono::seconds> ReplyWindow() const override {
    return std::chrono::hours(24);
  }
  // The webhook already gave the file's signed CDN URL: it is fetched as is, without a token.
  Result<MediaSource> LocateMedia(const std::string& provider_media_id) override;
  SendOutcome Send(const OutboundMessage& message) override;

 private:
  // `pieces_sent`: how many pieces of the same reply went before this one.
  SendOutcome SendPiece(const OutboundMessage& message, const std::string& text, bool last_piece,
                        std::size_t pieces_sent);

  Product product_;
  MetaChannelConfig config_;
  HttpClient& http_;
};

}  // namespace sac::channels::meta
