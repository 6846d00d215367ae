// What a channel's parser produces from a provider webhook: citizen messages and delivery
// updates for messages we sent, in one provider-neutral shape. These values are what the inbox
// stores; everything after the acknowledgement works from them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sac {

enum class MessageType {
  kText,
  kImage,
  kAudio,
  kVideo,
  kDocument,
  kSticker,
  kLocation,
  kInteractiveReply,  // the citizen tapped a button or list row of a message we sent
  kTemplateButton,    // the citizen tapped a quick reply of a template (e.g. the monthly survey)
  kReaction,
  kContacts,
  kUnsupported,       // the provider could not render it to us
  kStart,             // the citizen opened the conversation (Telegram /start, "Get Started")
  kEdit,              // the citizen edited an earlier message (`edit_of`); text is the new one
  kUnsent,            // the citizen deleted an earlier message (`edit_of`) for everyone
  kBlocked,           // the citizen blocked us: nothing more can be sent on this channel
  kUnblocked,         // ... and allowed us again
  kAutoReply,         // written by a machine (an out-of-office answer): never a boleta nor a reply
};

const char* MessageTypeName(MessageType type);
std::optional<MessageType> MessageTypeFromName(std::string_view name);

struct Media {
  std::string provider_media_id;  // fetched later by the channel (ids expire: WhatsApp 7 days)
  MessageType kind = MessageType::kDocument;  // kImage, kAudio, kVideo or kDocument
  std::string mime_type;
  std::string sha256;
  std::string filename;
  bool voice = false;
  std::int64_t size_bytes = 0;  // known only for files stored at intake
  // The file never reached SAC whole (a mail over the size limit, cut before it: bad input #20):
  // recorded so staff and the citizen know, never fetched nor shown.
  bool too_large = false;
};

// The provider_media_id of such a file: it has no id anywhere.
inline constexpr std::string_view kTooLargeMediaId = "too_large";

// Files that come inside the message itself (e-mail attachments) are stored content-addressed at
// intake (src/media/media_store.h); their id is "sha256:<hex>" and nothing is downloaded later.
inline constexpr std::string_view kStoredMediaPrefix = "sha256:";
std::optional<std::string_view> StoredMediaSha256(std::string_view provider_media_id);

struct GeoPoint {
  double latitude = 0;
  double longitude = 0;
  std::string name;
  std::string address;
};

struct InboundMessage {
  std::string channel;        // "whatsapp", "telegram", ...
  std::string account_id;     // our side: WhatsApp phone_number_id, Telegram bot id, page id
  std::string external_id;    // the provider's message id: the dedupe key
  std::string sender_id;      // the citizen's identity on the channel, exactly as sent
  std::string sender_phone;   // E.164 (+52...) when the channel reveals a phone number
  std::string sender_name;    // profile name, personal data
  MessageType type = MessageType::kText;
  std::string text;           // body, caption, or the title of the tapped reply
  std::string reply_payload;  // button/list id or template payload
  std::string context_id;     // provider id of our message this one answers, if any
  std::string edit_of;        // kEdit, kUnsent: the provider id of the message they changed
  std::string callback_id;    // a button tap the provider wants acknowledged (Telegram)
  std::vector<Media> media;  // attachments, in order (an MMS or a Messenger message may carry several)
  std::optional<GeoPoint> location;
  std::int64_t sent_at = 0;   // unix seconds, as the provider stamped it
};

enum class DeliveryState { kSent, kDelivered, kRead, kFailed };

const char* DeliveryStateName(DeliveryState state);
std::optional<DeliveryState> DeliveryStateFromName(std::string_view name);

// A provider's news about a message we sent. Never creates a boleta. Either one message
// (`provider_message_id`) or, as Messenger does, everything sent to `recipient_id` up to
// `watermark` (unix milliseconds).
struct DeliveryUpdate {
  std::string channel;
  std::string provider_message_id;
  DeliveryState state = DeliveryState::kSent;
  std::int64_t at = 0;  // unix seconds
  std::string error_code;
  std::string error_title;
  // Who the message went to. With `watermark`, instead of provider_message_id (Messenger); with
  // it (WhatsApp, Twilio), how news of a send whose answer was lost finds its reply.
  std::string recipient_id;
  std::int64_t watermark = 0;
  // kFailed because the address itself is dead (an e-mail bounce "5.1.1 no such mailbox"): the
  // identity we sent to is marked blocked, so nothing more is sent there until the citizen writes.
  bool recipient_unreachable = false;
};

// Something a webhook carried that SAC does not act on (a Telegram inline query, a message in a
// group): kept as an inbox row the pipeline marks ignored with `reason`, so it is seen, counted
// and deduplicated like everything else, rather than acknowledged and forgotten.
struct UnhandledUpdate {
  std::string key;     // the provider's id for it: the dedupe key
  std::string reason;  // what it was and why nothing is done; no personal data
};

struct ParsedWebhook {
  std::vector<InboundMessage> messages;
  std::vector<DeliveryUpdate> updates;
  std::vector<UnhandledUpdate> unhandled;
};

}  // namespace sac
