#include "channels/telegram/payloads.h"

#include "channels/common/mx_phone.h"
#include "json/reader.h"

namespace sac::channels::telegram {
namespace {

using json::Element;

// Telegram's Bot API serves at most 20 MB per file (getFile); bigger photo sizes cannot be
// fetched, so the largest size under it is the one to keep.
constexpr std::int64_t kMaxDownloadBytes = 20 * 1024 * 1024;

std::string Text(Element object, std::string_view key) {
  return json::CleanText(json::String(object, key).value_or(""));
}

std::string Id(Element object, std::string_view key) {
  const auto id = json::Integer(object, key);
  return id ? std::to_string(*id) : std::string();
}

Error Malformed(std::string what) {
  return MakeError(Errc::kInvalidArgument, "not a Telegram update: " + what);
}

std::string FullName(Element user) {
  std::string name = Text(user, "first_name");
  const std::string last = Text(user, "last_name");
  if (!last.empty()) name += (name.empty() ? "" : " ") + last;
  return name;
}

// The citizen behind a private chat: who wrote, in which chat. Nothing for groups, channels and
// bots: SAC talks to people one to one.
struct Sender {
  std::string chat_id;
  std::string name;
};
std::optional<Sender> PrivateSender(Element message) {
  auto chat = json::Field(message, "chat");
  auto from = json::Field(message, "from");
  if (!chat || json::String(*chat, "type") != std::optional<std::string_view>("private")) {
    return std::nullopt;
  }
  if (from && json::Bool(*from, "is_bot").value_or(false)) {
    return std::nullopt;
  }
  Sender sender{Id(*chat, "id"), from ? FullName(*from) : FullName(*chat)};
  if (sender.chat_id.empty()) return std::nullopt;
  return sender;
}

bool OverTheLimit(Element file) {
  return json::Integer(file, "file_size").value_or(0) > kMaxDownloadBytes;
}

// The largest photo size Telegram will let us download; if every size is over the limit, the
// first (it will be recorded as too large).
std::optional<Element> LargestPhoto(simdjson::dom::array sizes) {
  std::optional<Element> best;
  std::optional<Element> first;
  std::int64_t best_pixels = -1;
  for (Element size : sizes) {
    if (!first) first = size;
    const std::int64_t pixels =
        json::Integer(size, "width").value_or(0) * json::Integer(size, "height").value_or(0);
    if (!OverTheLimit(size) && pixels > best_pixels) {
      best = size;
      best_pixels = pixels;
    }
  }
  return best ? best : first;
}

// A file over the Bot API's limit can never be fetched: it is recorded as too large at once, so
// the acknowledgement asks for a lighter one and staff see it did not arrive.
Media FileMedia(Element file, MessageType kind, std::string_view default_mime) {
  Media media;
  media.kind = kind;
  media.provider_media_id = Text(file, "file_id");
  media.mime_type = Text(file, "mime_type");
  if (media.mime_type.empty()) media.mime_type = std::string(default_mime);
  media.filename = Text(file, "file_name");
  if (OverTheLimit(file)) {
    media.too_large = true;
    media.provider_media_id = std::string(kTooLargeMediaId);
  }
  return media;
}

// Reads the content of a message or an edited message: text, media, location, contact.
Result<bool> ReadContent(Element message, InboundMessage& out) {
  out.text = Text(message, "text");
  if (out.text.empty()) out.text = Text(message, "caption");
  if (auto photos = json::Array(message, "photo")) {
    auto photo = LargestPhoto(*photos);
    if (!photo) return Malformed("a photo has no size");
    out.type = MessageType::kImage;
    out.media.push_back(FileMedia(*photo, MessageType::kImage, "image/jpeg"));
  } else if (auto voice = json::Field(message, "voice")) {
    out.type = MessageType::kAudio;
    out.media.push_back(FileMedia(*voice, MessageType::kAudio, "audio/ogg"));
    out.media.back().voice = true;
  } else if (auto audio = json::Field(message, "audio")) {
    out.type = MessageType::kAudio;
    out.media.push_back(FileMedia(*audio, MessageType::kAudio, "audio/mpeg"));
  } else if (auto video = json::Field(message, "video")) {
    out.type = MessageType::kVideo;
    out.media.push_back(FileMedia(*video, MessageType::kVideo, "video/mp4"));
  } else if (auto note = json::Field(message, "video_note")) {
    out.type = MessageType::kVideo;
    out.media.push_back(FileMedia(*note, MessageType::kVideo, "video/mp4"));
  } else if (auto document = json::Field(message, "document")) {
    out.type = MessageType::kDocument;
    out.media.push_back(FileMedia(*document, MessageType::kDocument, "application/octet-stream"));
  } else if (json::Field(message, "sticker")) {
    out.type = MessageType::kSticker;
  } else if (auto venue = json::Field(message, "venue"); venue || json::Field(message, "location")) {
    auto location = venue ? json::Field(*venue, "location") : json::Field(message, "location");
    auto latitude = location ? json::Number(*location, "latitude") : std::nullopt;
    auto longitude = location ? json::Number(*location, "longitude") : std::nullopt;
    if (!latitude || !longitude || *latitude < -90 || *latitude > 90 || *longitude < -180 ||
        *longitude > 180) {
      return Malformed("a location lacks valid coordinates");
    }
    out.type = MessageType::kLocation;
    out.location = GeoPoint{*latitude, *longitude, venue ? Text(*venue, "title") : "",
                            venue ? Text(*venue, "address") : ""};
  } else if (auto contact = json::Field(message, "contact")) {
    out.type = MessageType::kContacts;
    // The citizen's own number, shared with the button Telegram offers: evidence that links
    // this chat to their other channels. Someone else's card links nothing.
    auto from = json::Field(message, "from");
    const auto owner = json::Integer(*contact, "user_id");
    if (from && owner && owner == json::Integer(*from, "id")) {
      out.sender_phone = NormalizePhone(Text(*contact, "phone_number")).value_or("");
    }
  } else if (!out.text.empty()) {
    out.type = MessageType::kText;
  } else {
    out.type = MessageType::kUnsupported;  // polls, dice, games, stories: answered, not lost
  }
  return true;
}

// /start (also with a deep-link payload: "/start folio_2026-000123"), /help and /ayuda open the
// conversation; other commands are text nobody here understands.
void ReadCommand(Element message, InboundMessage& out) {
  auto entities = json::Array(message, "entities");
  if (!entities || out.text.empty() || out.text[0] != '/') return;
  for (Element entity : *entities) {
    if (json::String(entity, "type") != std::optional<std::string_view>("bot_command") ||
        json::Integer(entity, "offset").value_or(-1) != 0) {
      continue;
    }
    const auto length = static_cast<std::size_t>(json::Integer(entity, "length").value_or(0));
    std::string command = out.text.substr(0, length);
    if (const auto at = command.find('@'); at != std::string::npos) command.resize(at);
    if (command == "/start" || command == "/help" || command == "/ayuda") {
      out.type = MessageType::kStart;
      out.reply_payload = length < out.text.size() ? out.text.substr(length + 1) : "";
    } else {
      out.type = MessageType::kUnsupported;
    }
    return;
  }
}

InboundMessage Base(std::string_view bot_id, const Sender& sender, std::int64_t date) {
  InboundMessage out;
  out.channel = std::string(kChannelName);
  out.account_id = std::string(bot_id);
  out.sender_id = sender.chat_id;
  out.sender_name = sender.name;
  out.sent_at = date;
  return out;
}

Result<ParsedWebhook> ReadMessage(Element message, std::string_view bot_id, bool edited) {
  ParsedWebhook parsed;
  const auto sender = PrivateSender(message);
  if (!sender) return parsed;
  const std::string message_id = Id(message, "message_id");
  if (message_id.empty()) return Malformed("a message has no message_id");
  InboundMessage out = Base(bot_id, *sender, json::Integer(message, "date").value_or(0));
  if (auto read = ReadContent(message, out); !read) return read.error();
  if (auto replied = json::Field(message, "reply_to_message")) {
    const std::string replied_id = Id(*replied, "message_id");
    if (!replied_id.empty()) out.context_id = sender->chat_id + ":" + replied_id;
  }
  const std::string id = sender->chat_id + ":" + message_id;
  if (edited) {
    // Each edit is its own event (the same message may be edited many times).
    out.external_id = id + ":edit:" + Id(message, "edit_date");
    out.edit_of = id;
    out.type = MessageType::kEdit;
  } else {
    out.external_id = id;
    ReadCommand(message, out);
  }
  parsed.messages.push_back(std::move(out));
  return parsed;
}

// A tap on an inline keyboard button of one of our messages.
Result<ParsedWebhook> ReadCallback(Element callback, std::string_view bot_id) {
  ParsedWebhook parsed;
  const std::string callback_id = Text(callback, "id");
  auto from = json::Field(callback, "from");
  if (callback_id.empty() || !from) return Malformed("a callback_query lacks id or from");
  auto message = json::Field(callback, "message");
  Sender sender{Id(*from, "id"), FullName(*from)};
  if (message) {
    auto chat = json::Field(*message, "chat");
    if (chat && json::String(*chat, "type") != std::optional<std::string_view>("private")) {
      return parsed;
    }
    if (chat) sender.chat_id = Id(*chat, "id");
  }
  InboundMessage out = Base(bot_id, sender, message ? json::Integer(*message, "date").value_or(0) : 0);
  out.type = MessageType::kInteractiveReply;
  out.external_id = "callback:" + callback_id;
  out.callback_id = callback_id;
  out.reply_payload = Text(callback, "data");
  if (message) {
    out.context_id = sender.chat_id + ":" + Id(*message, "message_id");
    // The tapped button's label, from the keyboard of the message it belongs to.
    auto markup = json::Field(*message, "reply_markup");
    auto rows = markup ? json::Array(*markup, "inline_keyboard") : std::nullopt;
    if (rows) {
      for (Element row : *rows) {
        if (!row.is_array()) continue;
        for (Element button : row.get_array()) {
          if (json::String(button, "callback_data") == std::optional<std::string_view>(out.reply_payload)) {
            out.text = Text(button, "text");
          }
        }
      }
    }
  }
  parsed.messages.push_back(std::move(out));
  return parsed;
}

// The citizen blocked (or unblocked) the bot in their private chat.
Result<ParsedWebhook> ReadMembership(Element update, Element member, std::string_view bot_id) {
  ParsedWebhook parsed;
  auto chat = json::Field(member, "chat");
  auto status_owner = json::Field(member, "new_chat_member");
  if (!chat || !status_owner) return Malformed("my_chat_member lacks chat or new_chat_member");
  if (json::String(*chat, "type") != std::optional<std::string_view>("private")) return parsed;
  const std::string status = Text(*status_owner, "status");
  if (status != "kicked" && status != "member") return parsed;
  auto from = json::Field(member, "from");
  Sender sender{Id(*chat, "id"), from ? FullName(*from) : FullName(*chat)};
  InboundMessage out = Base(bot_id, sender, json::Integer(member, "date").value_or(0));
  out.type = status == "kicked" ? MessageType::kBlocked : MessageType::kUnblocked;
  out.external_id = "member:" + Id(update, "update_id");
  parsed.messages.push_back(std::move(out));
  return parsed;
}

}  // namespace

namespace {

Result<ParsedWebhook> ReadUpdate(Element root, std::string_view bot_id) {
  if (auto message = json::Field(root, "message")) {
    return ReadMessage(*message, bot_id, false);
  }
  if (auto edited = json::Field(root, "edited_message")) {
    return ReadMessage(*edited, bot_id, true);
  }
  if (auto callback = json::Field(root, "callback_query")) {
    return ReadCallback(*callback, bot_id);
  }
  if (auto member = json::Field(root, "my_chat_member")) {
    return ReadMembership(root, *member, bot_id);
  }
  return ParsedWebhook{};  // channel posts, inline queries, polls...: not citizen petitions
}

// The update's type: its one field besides update_id ("inline_query", "channel_post", ...).
std::string UpdateType(Element root) {
  simdjson::dom::object object;
  if (root.get_object().get(object) != simdjson::SUCCESS) return "?";
  for (const auto field : object) {
    const std::string_view key = field.key;
    if (key == "update_id") continue;
    // Telegram's own names: lower case and underscores; anything else is not echoed back.
    if (key.size() <= 40 && key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == key.npos) {
      return std::string(key);
    }
    return "?";
  }
  return "?";
}

}  // namespace

Result<ParsedWebhook> ParseUpdate(std::string_view body, std::string_view bot_id) {
  auto root = json::Parse(body);
  if (!root) {
    return root.error();
  }
  const auto update_id = root->is_object() ? json::Integer(*root, "update_id") : std::nullopt;
  if (!update_id) {
    return Malformed("no update_id");
  }
  auto parsed = ReadUpdate(*root, bot_id);
  if (parsed && parsed->messages.empty() && parsed->updates.empty()) {
    // Kept and marked ignored rather than forgotten: update types SAC does not act on show up.
    parsed->unhandled.push_back({"update:" + std::to_string(*update_id),
                                 "telegram update '" + UpdateType(*root) +
                                     "' is not a private message from a person"});
  }
  return parsed;
}

std::optional<std::string> ParseSentMessageId(std::string_view body) {
  auto root = json::Parse(body);
  if (!root || json::Bool(*root, "ok") != std::optional<bool>(true)) {
    return std::nullopt;
  }
  auto result = json::Field(*root, "result");
  auto chat = result ? json::Field(*result, "chat") : std::nullopt;
  if (!chat) return std::nullopt;
  const std::string chat_id = Id(*chat, "id");
  const std::string message_id = Id(*result, "message_id");
  if (chat_id.empty() || message_id.empty()) return std::nullopt;
  return chat_id + ":" + message_id;
}

std::optional<std::string> ParseFilePath(std::string_view body) {
  auto root = json::Parse(body);
  if (!root || json::Bool(*root, "ok") != std::optional<bool>(true)) return std::nullopt;
  auto result = json::Field(*root, "result");
  const auto path = result ? json::String(*result, "file_path") : std::nullopt;
  // A path, not a way out of /file/bot<token>/.
  if (!path || path->empty() || path->find("..") != std::string_view::npos || path->front() == '/') {
    return std::nullopt;
  }
  return std::string(*path);
}

std::optional<ApiError> ParseApiError(std::string_view body) {
  auto root = json::Parse(body);
  if (!root || json::Bool(*root, "ok") != std::optional<bool>(false)) {
    return std::nullopt;
  }
  ApiError error;
  error.code = static_cast<int>(json::Integer(*root, "error_code").value_or(0));
  error.description = Text(*root, "description");
  if (auto parameters = json::Field(*root, "parameters")) {
    if (auto seconds = json::Integer(*parameters, "retry_after")) {
      error.retry_after = std::chrono::seconds(*seconds);
    }
  }
  return error;
}

}  // namespace sac::channels::telegram
