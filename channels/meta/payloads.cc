#include "channels/meta/payloads.h"

#include <array>
#include <set>
#include <utility>

#include "core/http_message.h"
#include "json/reader.h"

namespace sac::channels::meta {
namespace {

using json::Element;

// The payloads our Page's "Get Started" button and Instagram ice breakers are set up with: the
// project's own (REPORTAR_PROBLEMA, as in the fixtures) and the usual names for it.
constexpr std::array<std::string_view, 7> kGetStartedPayloads = {
    "GET_STARTED", "GET_STARTED_PAYLOAD", "EMPEZAR", "COMENZAR", "INICIAR",
    "INICIO",      "REPORTAR_PROBLEMA"};

// Attachments that carry a file at `payload.url` (a CDN link that expires: the media worker
// downloads it soon). Meta gives no MIME type; these are what its apps produce.
struct MediaKind {
  std::string_view type;
  MessageType message_type;
  std::string_view mime_type;
};
constexpr std::array<MediaKind, 4> kMediaKinds = {{
    {"image", MessageType::kImage, "image/jpeg"},
    {"video", MessageType::kVideo, "video/mp4"},
    {"audio", MessageType::kAudio, "audio/mp4"},  // voice clips are AAC in an MP4 container
    {"file", MessageType::kDocument, "application/octet-stream"},
}};

std::string Text(Element object, std::string_view key) {
  return json::CleanText(json::String(object, key).value_or(""));
}

// Meta's ids are strings of digits; a number is read the same way.
std::string Id(Element object, std::string_view key) {
  if (auto text = json::String(object, key)) return json::CleanText(*text);
  if (auto number = json::Integer(object, key)) return std::to_string(*number);
  return {};
}

std::string PartyId(Element event, std::string_view party) {
  auto object = json::Field(event, party);
  return object ? Id(*object, "id") : std::string();
}

Error Malformed(const Product& product, const std::string& what) {
  return MakeError(Errc::kInvalidArgument,
                   "not a " + std::string(product.channel) + " notification: " + what);
}

// Meta stamps events in milliseconds.
std::int64_t Seconds(std::int64_t millis) { return millis / 1000; }

bool ValidCoordinates(std::optional<double> latitude, std::optional<double> longitude) {
  return latitude && longitude && *latitude >= -90 && *latitude <= 90 && *longitude >= -180 &&
         *longitude <= 180;
}

// Reads the `messaging[]` events of one POST into messages and delivery updates, once each.
class EventReader {
 public:
  explicit EventReader(const Product& product) : product_(product) {}

  Status Read(Element event, const std::string& account_id) {
    if (auto message = json::Field(event, "message")) {
      return ReadMessage(event, *message, account_id);
    }
    if (auto postback = json::Field(event, "postback")) {
      return ReadPostback(event, *postback, account_id);
    }
    if (auto edit = json::Field(event, "message_edit")) {
      return ReadEdit(event, *edit, account_id);
    }
    if (auto delivery = json::Field(event, "delivery")) {
      return ReadReceipt(event, *delivery, DeliveryState::kDelivered);
    }
    if (auto read = json::Field(event, "read")) {
      return ReadReceipt(event, *read, DeliveryState::kRead);
    }
    return {};  // reactions, referrals, opt-ins, handovers, policy notices: not petitions
  }

  ParsedWebhook Take() { return std::move(parsed_); }

 private:
  Error Malformed(const std::string& what) const { return meta::Malformed(product_, what); }

  Result<InboundMessage> Base(Element event, const std::string& account_id) const {
    InboundMessage out;
    out.channel = std::string(product_.channel);
    out.account_id = account_id;
    out.sender_id = PartyId(event, "sender");  // PSID / IGSID: replies go to it
    if (out.sender_id.empty()) return Malformed("an event has no sender.id");
    out.sent_at = Seconds(json::Integer(event, "timestamp").value_or(0));
    return out;
  }

  void Add(InboundMessage message) {
    if (seen_messages_.insert(message.external_id).second) {
      parsed_.messages.push_back(std::move(message));
    }
  }

  void Add(DeliveryUpdate update) {
    const std::string key = update.provider_message_id.empty()
                                ? update.recipient_id + "@" + std::to_string(update.watermark)
                                : update.provider_message_id;
    if (seen_updates_.emplace(key, update.state).second) {
      parsed_.updates.push_back(std::move(update));
    }
  }

  Status ReadMessage(Element event, Element message, const std::string& account_id) {
    if (json::Bool(message, "is_echo").value_or(false)) {
      return {};  // our own reply, echoed back: never a petition
    }
    auto out = Base(event, account_id);
    if (!out) return out.error();
    if (out->sender_id == account_id) return {};  // us, even without the echo flag
    const std::string mid = Text(message, "mid");
    if (mid.empty()) return Malformed("a message has no mid");
    if (json::Bool(message, "is_deleted").value_or(false)) {
      // Unsent: an event of its own, about the message it removes.
      out->type = MessageType::kUnsent;
      out->external_id = "unsent:" + mid;
      out->edit_of = mid;
      Add(std::move(*out));
      return {};
    }
    out->external_id = mid;
    out->text = Text(message, "text");
    if (auto reply_to = json::Field(message, "reply_to")) {
      out->context_id = Text(*reply_to, "mid");  // absent for Instagram story replies
    }
    if (auto quick_reply = json::Field(message, "quick_reply")) {
      out->type = MessageType::kInteractiveReply;
      out->reply_payload = Text(*quick_reply, "payload");
    } else if (auto attachments = json::Array(message, "attachments")) {
      auto kept = ReadAttachments(*attachments, *out);
      if (!kept) return kept.error();
      if (!*kept) return {};
    } else {
      // Instagram marks what it cannot render with is_unsupported and no text.
      out->type = out->text.empty() ? MessageType::kUnsupported : MessageType::kText;
    }
    Add(std::move(*out));
    return {};
  }

  // Sets the type, media, location or text of a message with attachments: every file is kept,
  // the message's type is the first one's; Messenger sends a caption, if any, as a separate text
  // message. false when there is nothing to keep (an Instagram story mention is not a message to
  // us).
  Result<bool> ReadAttachments(simdjson::dom::array attachments, InboundMessage& out) const {
    std::optional<MessageType> media_type;
    bool sticker = false;
    bool story_mention = false;
    bool anything_else = false;
    for (Element attachment : attachments) {
      const std::string type = Text(attachment, "type");
      const auto payload = json::Field(attachment, "payload");
      if (type == "location") {
        const auto coordinates = payload ? json::Field(*payload, "coordinates") : std::nullopt;
        const auto latitude = coordinates ? json::Number(*coordinates, "lat") : std::nullopt;
        const auto longitude = coordinates ? json::Number(*coordinates, "long") : std::nullopt;
        if (!ValidCoordinates(latitude, longitude)) {
          return Malformed("a location lacks valid coordinates");
        }
        if (!out.location) {
          out.location = GeoPoint{*latitude, *longitude, Text(attachment, "title"), ""};
        }
        continue;
      }
      if (type == "like_heart" || (payload && json::Field(*payload, "sticker_id"))) {
        sticker = true;  // Messenger's thumbs-up is an image with a sticker_id
        continue;
      }
      if (type == "story_mention") {
        story_mention = true;
        continue;
      }
      if (type == "fallback") {
        // A shared link Meta could not render: its URL is what the citizen sent.
        if (out.text.empty() && payload) out.text = Text(*payload, "url");
        continue;
      }
      const std::string url = payload ? Text(*payload, "url") : std::string();
      bool known = false;
      for (const MediaKind& kind : kMediaKinds) {
        if (kind.type == type && !url.empty()) {
          known = true;
          Media media;
          media.provider_media_id = url;
          media.kind = kind.message_type;
          media.mime_type = std::string(kind.mime_type);
          out.media.push_back(std::move(media));
          if (!media_type) media_type = kind.message_type;  // the message is of its first
        }
      }
      anything_else = anything_else || !known;  // shares, reels, posts, templates
    }
    if (media_type) {
      out.type = *media_type;
    } else if (out.location) {
      out.type = MessageType::kLocation;
    } else if (!out.text.empty()) {
      out.type = MessageType::kText;
    } else if (sticker) {
      out.type = MessageType::kSticker;
    } else if (story_mention && !anything_else) {
      return false;
    } else {
      out.type = MessageType::kUnsupported;
    }
    return true;
  }

  Status ReadPostback(Element event, Element postback, const std::string& account_id) {
    auto out = Base(event, account_id);
    if (!out) return out.error();
    const std::string mid = Text(postback, "mid");
    // Older postbacks carry no mid: who tapped and when identifies a redelivery just as well.
    out->external_id = !mid.empty()
                           ? mid
                           : "postback:" + out->sender_id + ":" +
                                 std::to_string(json::Integer(event, "timestamp").value_or(0));
    out->text = Text(postback, "title");
    const std::string payload = Text(postback, "payload");
    if (IsGetStartedPayload(payload)) {
      out->type = MessageType::kStart;
      // An m.me/<page>?ref=… link's ref, like Telegram's "/start <payload>".
      if (auto referral = json::Field(postback, "referral")) {
        out->reply_payload = Text(*referral, "ref");
      }
    } else {
      out->type = MessageType::kInteractiveReply;
      out->reply_payload = payload;
    }
    Add(std::move(*out));
    return {};
  }

  Status ReadEdit(Element event, Element edit, const std::string& account_id) {
    auto out = Base(event, account_id);
    if (!out) return out.error();
    const std::string mid = Text(edit, "mid");
    if (mid.empty()) return Malformed("a message_edit has no mid");
    // Each edit is its own event: the same message may be edited several times.
    out->type = MessageType::kEdit;
    out->external_id = mid + ":edit:" + std::to_string(json::Integer(edit, "num_edit").value_or(0));
    out->edit_of = mid;
    out->text = Text(edit, "text");
    Add(std::move(*out));
    return {};
  }

  // delivery{mids[]?, watermark} and read{watermark} (Instagram: read{mid}). The sender is the
  // citizen who received our messages.
  Status ReadReceipt(Element event, Element receipt, DeliveryState state) {
    const std::string citizen = PartyId(event, "sender");
    if (citizen.empty()) return Malformed("a receipt has no sender.id");
    DeliveryUpdate update;
    update.channel = std::string(product_.channel);
    update.state = state;
    update.at = Seconds(json::Integer(event, "timestamp").value_or(0));
    bool any = false;
    const auto add_mid = [&](std::string_view mid) {
      if (mid.empty()) return;
      DeliveryUpdate one = update;
      one.provider_message_id = json::CleanText(mid);
      Add(std::move(one));
      any = true;
    };
    if (auto mids = json::Array(receipt, "mids")) {
      for (Element mid : *mids) {
        std::string_view text;
        if (!mid.get_string().get(text)) add_mid(text);
      }
    }
    add_mid(Text(receipt, "mid"));
    if (any) return {};
    // Without mids: everything we sent this citizen up to the watermark.
    const std::int64_t watermark = json::Integer(receipt, "watermark").value_or(0);
    if (watermark <= 0) return Malformed("a receipt has neither mids nor a watermark");
    update.recipient_id = citizen;
    update.watermark = watermark;
    Add(std::move(update));
    return {};
  }

  const Product& product_;
  ParsedWebhook parsed_;
  std::set<std::string> seen_messages_;  // one POST may repeat a mid
  std::set<std::pair<std::string, DeliveryState>> seen_updates_;
};

}  // namespace

Result<ParsedWebhook> ParseWebhook(std::string_view body, const Product& product,
                                   std::string_view account_id) {
  const auto malformed = [&](const std::string& what) { return Malformed(product, what); };
  auto root = json::Parse(body);
  if (!root) {
    return root.error();
  }
  if (json::String(*root, "object") != std::optional<std::string_view>(product.object)) {
    return malformed("object is not " + std::string(product.object));
  }
  auto entries = json::Array(*root, "entry");
  if (!entries) {
    return malformed("no entry array");
  }
  EventReader reader(product);
  for (Element entry : *entries) {
    const std::string entry_account = Id(entry, "id");
    if (entry_account.empty()) {
      return malformed("an entry has no id");
    }
    if (!account_id.empty() && entry_account != account_id) {
      continue;  // another Page or account subscribed to the same app: not ours to answer
    }
    // Entries without `messaging` ("changes" for comments, "standby" while another app owns
    // the thread) are not conversations with us.
    auto events = json::Array(entry, "messaging");
    if (!events) {
      continue;
    }
    for (Element event : *events) {
      if (!event.is_object()) {
        return malformed("an event is not an object");
      }
      if (auto read = reader.Read(event, entry_account); !read) {
        return read.error();
      }
    }
  }
  return reader.Take();
}

bool IsGetStartedPayload(std::string_view payload) {
  for (std::string_view known : kGetStartedPayloads) {
    if (EqualsIgnoreCase(payload, known)) return true;
  }
  return false;
}

std::optional<std::string> ParseSendResponseId(std::string_view body) {
  auto root = json::Parse(body);
  if (!root) {
    return std::nullopt;
  }
  auto id = json::String(*root, "message_id");
  return id && !id->empty() ? std::optional<std::string>(json::CleanText(*id)) : std::nullopt;
}

std::optional<GraphError> ParseGraphError(std::string_view body) {
  auto root = json::Parse(body);
  if (!root) {
    return std::nullopt;
  }
  auto error = json::Field(*root, "error");
  if (!error) {
    return std::nullopt;
  }
  return GraphError{json::Integer(*error, "code").value_or(0),
                    json::Integer(*error, "error_subcode").value_or(0)};
}

}  // namespace sac::channels::meta
