#include "channels/whatsapp/payloads.h"

#include <map>
#include <set>

#include "channels/common/mx_phone.h"
#include "json/reader.h"

namespace sac::channels::whatsapp {
namespace {

using json::Element;

std::string Text(Element object, std::string_view key) {
  return json::CleanText(json::String(object, key).value_or(""));
}

Error Malformed(std::string what) {
  return MakeError(Errc::kInvalidArgument, "not a WhatsApp notification: " + what);
}

// Some senders stamp milliseconds; WhatsApp documents seconds.
std::int64_t Seconds(std::int64_t stamp) { return stamp > 100'000'000'000 ? stamp / 1000 : stamp; }

void ReadMedia(Element message, std::string_view type, InboundMessage& out) {
  auto media_object = json::Field(message, type);
  if (!media_object) {
    return;
  }
  Media media;
  media.provider_media_id = Text(*media_object, "id");
  media.mime_type = Text(*media_object, "mime_type");
  media.sha256 = Text(*media_object, "sha256");
  media.filename = Text(*media_object, "filename");
  media.voice = json::Bool(*media_object, "voice").value_or(false);
  out.text = Text(*media_object, "caption");
  media.kind = out.type;
  out.media.push_back(std::move(media));
}

void ReadInteractive(Element message, InboundMessage& out) {
  auto interactive = json::Field(message, "interactive");
  if (!interactive) {
    return;
  }
  for (const char* kind : {"button_reply", "list_reply"}) {
    if (auto reply = json::Field(*interactive, kind)) {
      out.reply_payload = Text(*reply, "id");
      out.text = Text(*reply, "title");
      return;
    }
  }
  if (auto flow = json::Field(*interactive, "nfm_reply")) {
    out.reply_payload = Text(*flow, "response_json");
    out.text = Text(*flow, "body");
  }
}

Result<InboundMessage> ReadMessage(Element message, std::string_view phone_number_id,
                                   const std::map<std::string, std::string>& names) {
  InboundMessage out;
  out.channel = std::string(kChannelName);
  out.account_id = std::string(phone_number_id);
  out.external_id = Text(message, "id");
  // Business-scoped user ids (usernames) arrive as from_user_id when the phone is hidden.
  out.sender_id = Text(message, "from");
  if (out.sender_id.empty()) {
    out.sender_id = Text(message, "from_user_id");
  } else {
    out.sender_phone = NormalizePhone(out.sender_id).value_or("");
  }
  const std::string type = Text(message, "type");
  if (out.external_id.empty() || out.sender_id.empty() || type.empty()) {
    return Malformed("a message lacks id, from or type");
  }
  if (const auto found = names.find(out.sender_id); found != names.end()) {
    out.sender_name = found->second;
  }
  out.sent_at = Seconds(json::Integer(message, "timestamp").value_or(0));
  if (auto context = json::Field(message, "context")) {
    out.context_id = Text(*context, "id");
  }

  if (type == "text") {
    out.type = MessageType::kText;
    if (auto text = json::Field(message, "text")) {
      out.text = Text(*text, "body");
    }
  } else if (type == "image" || type == "video" || type == "audio" || type == "document" ||
             type == "sticker") {
    out.type = type == "image"   ? MessageType::kImage
               : type == "video" ? MessageType::kVideo
               : type == "audio" ? MessageType::kAudio
               : type == "document" ? MessageType::kDocument
                                    : MessageType::kSticker;
    ReadMedia(message, type, out);
  } else if (type == "location") {
    out.type = MessageType::kLocation;
    auto location = json::Field(message, "location");
    auto latitude = location ? json::Number(*location, "latitude") : std::nullopt;
    auto longitude = location ? json::Number(*location, "longitude") : std::nullopt;
    if (!latitude || !longitude || *latitude < -90 || *latitude > 90 || *longitude < -180 ||
        *longitude > 180) {
      return Malformed("a location lacks valid coordinates");
    }
    out.location = GeoPoint{*latitude, *longitude, Text(*location, "name"),
                            Text(*location, "address")};
  } else if (type == "interactive") {
    out.type = MessageType::kInteractiveReply;
    ReadInteractive(message, out);
  } else if (type == "button") {
    out.type = MessageType::kTemplateButton;
    if (auto button = json::Field(message, "button")) {
      out.reply_payload = Text(*button, "payload");
      out.text = Text(*button, "text");
    }
  } else if (type == "reaction") {
    out.type = MessageType::kReaction;
    if (auto reaction = json::Field(message, "reaction")) {
      out.text = Text(*reaction, "emoji");
      out.context_id = Text(*reaction, "message_id");
    }
  } else if (type == "contacts") {
    out.type = MessageType::kContacts;
  } else {
    // "unsupported", and types newer than this parser: kept, answered, never dropped.
    out.type = MessageType::kUnsupported;
  }
  return out;
}

std::optional<DeliveryUpdate> ReadStatus(Element status) {
  const std::string name = Text(status, "status");
  const auto state = DeliveryStateFromName(name);
  if (!state) {
    return std::nullopt;  // "deleted" and future states: nothing for us to record
  }
  DeliveryUpdate update;
  update.channel = std::string(kChannelName);
  update.provider_message_id = Text(status, "id");
  update.recipient_id = Text(status, "recipient_id");  // places news of a send whose answer was lost
  update.state = *state;
  update.at = Seconds(json::Integer(status, "timestamp").value_or(0));
  if (auto errors = json::Array(status, "errors")) {
    for (Element error : *errors) {
      if (auto code = json::Integer(error, "code")) {
        update.error_code = std::to_string(*code);
      }
      update.error_title = Text(error, "title");
      break;
    }
  }
  if (update.provider_message_id.empty()) {
    return std::nullopt;
  }
  return update;
}

}  // namespace

Result<ParsedWebhook> ParseWebhook(std::string_view body, std::string_view phone_number_id) {
  auto root = json::Parse(body);
  if (!root) {
    return root.error();
  }
  if (json::String(*root, "object") != std::optional<std::string_view>("whatsapp_business_account")) {
    return Malformed("object is not whatsapp_business_account");
  }
  auto entries = json::Array(*root, "entry");
  if (!entries) {
    return Malformed("no entry array");
  }
  ParsedWebhook parsed;
  std::set<std::string> seen_messages;  // one POST may repeat a message id
  std::set<std::pair<std::string, DeliveryState>> seen_updates;
  for (Element entry : *entries) {
    auto changes = json::Array(entry, "changes");
    if (!changes) {
      return Malformed("an entry has no changes array");
    }
    for (Element change : *changes) {
      auto value = json::Field(change, "value");
      if (json::String(change, "field") != std::optional<std::string_view>("messages") || !value) {
        continue;  // template reviews, quality and account updates: not citizen traffic
      }
      std::string number_id;
      if (auto metadata = json::Field(*value, "metadata")) {
        number_id = Text(*metadata, "phone_number_id");
      }
      if (!phone_number_id.empty() && number_id != phone_number_id) {
        continue;
      }
      std::map<std::string, std::string> names;
      if (auto contacts = json::Array(*value, "contacts")) {
        for (Element contact : *contacts) {
          auto profile = json::Field(contact, "profile");
          names[Text(contact, "wa_id")] = profile ? Text(*profile, "name") : "";
        }
      }
      if (auto messages = json::Array(*value, "messages")) {
        for (Element message : *messages) {
          auto inbound = ReadMessage(message, number_id, names);
          if (!inbound) {
            return inbound.error();
          }
          if (seen_messages.insert(inbound->external_id).second) {
            parsed.messages.push_back(std::move(*inbound));
          }
        }
      }
      if (auto statuses = json::Array(*value, "statuses")) {
        for (Element status : *statuses) {
          auto update = ReadStatus(status);
          if (update && seen_updates.emplace(update->provider_message_id, update->state).second) {
            parsed.updates.push_back(std::move(*update));
          }
        }
      }
    }
  }
  return parsed;
}

std::optional<std::string> ParseSendResponseId(std::string_view body) {
  auto root = json::Parse(body);
  if (!root) {
    return std::nullopt;
  }
  if (auto messages = json::Array(*root, "messages")) {
    for (Element message : *messages) {
      if (auto id = json::String(message, "id")) {
        return std::string(*id);
      }
    }
  }
  return std::nullopt;
}

std::optional<std::string> ParseMediaUrl(std::string_view body) {
  auto root = json::Parse(body);
  if (!root) return std::nullopt;
  const auto url = json::String(*root, "url");
  if (!url || url->empty()) return std::nullopt;
  return std::string(*url);
}

std::optional<std::int64_t> ParseErrorCode(std::string_view body) {
  auto root = json::Parse(body);
  if (!root) {
    return std::nullopt;
  }
  auto error = json::Field(*root, "error");
  return error ? json::Integer(*error, "code") : std::nullopt;
}

}  // namespace sac::channels::whatsapp
