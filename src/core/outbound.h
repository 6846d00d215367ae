// A reply on its way to a citizen, and what the provider said when we tried to send it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace sac {

struct OutboundMessage {
  std::int64_t outbox_id = 0;
  std::string channel;
  std::string account_id;  // our side (e.g. WhatsApp phone_number_id) when the channel needs it
  std::string recipient;   // the citizen's identity on the channel, exactly as they wrote from
  std::string text;
  // For channels that thread replies (e-mail: In-Reply-To and the subject): the provider id of
  // the citizen's message this answers (or of the one that created the boleta), and the folio.
  std::string in_reply_to;
  std::string folio;
};

struct SendOutcome {
  enum class Kind {
    kSent,       // the provider accepted it; provider_message_id identifies it in status updates
    kRetryable,  // connection failure, timeout, 5xx, throttling: try again later
    kPermanent,  // the provider refused it for good (4xx): do not retry
  };
  Kind kind = Kind::kSent;
  std::string provider_message_id;
  std::string error;  // short and free of personal data: it is logged and stored
  std::optional<std::chrono::seconds> retry_after;
  bool recipient_blocked = false;  // kPermanent because the citizen blocked us (Telegram 403)

  static SendOutcome Sent(std::string provider_message_id) {
    return {Kind::kSent, std::move(provider_message_id), {}, std::nullopt, false};
  }
  static SendOutcome Retryable(std::string error,
                               std::optional<std::chrono::seconds> retry_after = std::nullopt) {
    return {Kind::kRetryable, {}, std::move(error), retry_after, false};
  }
  static SendOutcome Permanent(std::string error) {
    return {Kind::kPermanent, {}, std::move(error), std::nullopt, false};
  }
  static SendOutcome Blocked(std::string error) {
    return {Kind::kPermanent, {}, std::move(error), std::nullopt, true};
  }
};

}  // namespace sac
