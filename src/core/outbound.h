// A reply on its way to a citizen, and what the provider said when we tried to send it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sac {

// A one-tap answer offered with a message (the survey's Sí / No): WhatsApp reply buttons,
// Messenger and Instagram quick replies, a Telegram inline keyboard. Channels without buttons
// (SMS, e-mail) send the text alone, which says what to answer.
struct ReplyButton {
  std::string payload;  // comes back in InboundMessage::reply_payload when tapped
  std::string title;    // what the citizen sees (WhatsApp: at most 20 characters)
};

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
  std::vector<ReplyButton> buttons;
  // Why we write (acuse_boleta, aviso_atender, encuesta, ...) and the named values of the message
  // (folio, dependencia, mes, ...): what a channel needs to pick and fill an approved template.
  std::string purpose;
  std::vector<std::pair<std::string, std::string>> template_params;
  // Set by the sender when the channel's reply window (Channel::ReplyWindow) is closed for this
  // recipient: free text would be refused, so the channel sends its approved template for the
  // purpose (WhatsApp) or a message tag (Messenger, Instagram), or fails it permanently.
  bool outside_window = false;
  // The same for every attempt at this outbox row: providers that deduplicate on a key (e-mail
  // by Message-ID) turn a resend after a crash into no duplicate at all.
  std::string idempotency_key;
};

struct SendOutcome {
  enum class Kind {
    kSent,       // the provider accepted it; provider_message_id identifies it in status updates
    kRetryable,  // connection failure, timeout, 5xx, throttling: try again later
    kPermanent,  // the provider refused it for good (4xx): do not retry
    // The request may have reached the provider but no answer came (a timeout after it was
    // sent): sending again could make the citizen read it twice, so it is not retried; delivery
    // news settles it, or staff do (Administración → Envíos).
    kUnknown,
  };
  Kind kind = Kind::kSent;
  std::string provider_message_id;
  std::string error;  // short and free of personal data: it is logged and stored
  std::optional<std::chrono::seconds> retry_after;
  bool recipient_blocked = false;  // kPermanent because the citizen blocked us (Telegram 403)
  // A reply that went as several messages: the provider's ids of the pieces before the last
  // (provider_message_id) — or, when a later piece failed, of those that went — so that news
  // about any piece is known to be about this reply.
  std::vector<std::string> earlier_piece_ids;

  static SendOutcome Sent(std::string provider_message_id) {
    return {Kind::kSent, std::move(provider_message_id), {}, std::nullopt, false, {}};
  }
  static SendOutcome Retryable(std::string error,
                               std::optional<std::chrono::seconds> retry_after = std::nullopt) {
    return {Kind::kRetryable, {}, std::move(error), retry_after, false, {}};
  }
  static SendOutcome Permanent(std::string error) {
    return {Kind::kPermanent, {}, std::move(error), std::nullopt, false, {}};
  }
  static SendOutcome Unknown(std::string error) {
    return {Kind::kUnknown, {}, std::move(error), std::nullopt, false, {}};
  }
  static SendOutcome Blocked(std::string error) {
    return {Kind::kPermanent, {}, std::move(error), std::nullopt, true, {}};
  }
};

}  // namespace sac
