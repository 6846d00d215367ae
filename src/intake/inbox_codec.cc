#include "intake/inbox_codec.h"

#include <boost/json.hpp>

namespace sac::intake {
namespace {

namespace bj = boost::json;

std::string GetString(const bj::object& object, std::string_view key) {
  const bj::value* value = object.if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->get_string()) : std::string();
}

std::int64_t GetInt(const bj::object& object, std::string_view key) {
  const bj::value* value = object.if_contains(key);
  return value != nullptr && value->is_int64() ? value->get_int64() : 0;
}

double GetDouble(const bj::object& object, std::string_view key) {
  const bj::value* value = object.if_contains(key);
  if (value == nullptr) return 0;
  if (value->is_double()) return value->get_double();
  if (value->is_int64()) return static_cast<double>(value->get_int64());
  return 0;
}

Result<bj::object> ParseObject(std::string_view json) {
  bj::error_code error;
  bj::value value = bj::parse(json, error);
  if (error || !value.is_object()) {
    return MakeError(Errc::kInternal, "inbox payload is not a JSON object");
  }
  return std::move(value.as_object());
}

}  // namespace

std::string EncodeMessage(const InboundMessage& m) {
  bj::object object;
  object["channel"] = m.channel;
  object["account_id"] = m.account_id;
  object["external_id"] = m.external_id;
  object["sender_id"] = m.sender_id;
  object["sender_phone"] = m.sender_phone;
  object["sender_name"] = m.sender_name;
  object["type"] = MessageTypeName(m.type);
  object["text"] = m.text;
  object["reply_payload"] = m.reply_payload;
  object["context_id"] = m.context_id;
  if (!m.edit_of.empty()) object["edit_of"] = m.edit_of;
  if (!m.callback_id.empty()) object["callback_id"] = m.callback_id;
  object["sent_at"] = m.sent_at;
  if (!m.media.empty()) {
    bj::array media;
    for (const Media& item : m.media) {
      bj::object entry{{"provider_media_id", item.provider_media_id},
                       {"kind", MessageTypeName(item.kind)},
                       {"mime_type", item.mime_type},
                       {"sha256", item.sha256},
                       {"filename", item.filename},
                       {"voice", item.voice},
                       {"size_bytes", item.size_bytes}};
      if (item.too_large) entry["too_large"] = true;
      media.push_back(std::move(entry));
    }
    object["media"] = std::move(media);
  }
  if (m.location) {
    object["location"] = bj::object{{"latitude", m.location->latitude},
                                    {"longitude", m.location->longitude},
                                    {"name", m.location->name},
                                    {"address", m.location->address}};
  }
  return bj::serialize(object);
}

Result<InboundMessage> DecodeMessage(std::string_view json) {
  auto parsed = ParseObject(json);
  if (!parsed) {
    return parsed.error();
  }
  const bj::object& o = *parsed;
  InboundMessage m;
  m.channel = GetString(o, "channel");
  m.account_id = GetString(o, "account_id");
  m.external_id = GetString(o, "external_id");
  m.sender_id = GetString(o, "sender_id");
  m.sender_phone = GetString(o, "sender_phone");
  m.sender_name = GetString(o, "sender_name");
  const auto type = MessageTypeFromName(GetString(o, "type"));
  if (!type) {
    return MakeError(Errc::kInternal, "inbox payload has an unknown message type");
  }
  m.type = *type;
  m.text = GetString(o, "text");
  m.reply_payload = GetString(o, "reply_payload");
  m.context_id = GetString(o, "context_id");
  m.edit_of = GetString(o, "edit_of");
  m.callback_id = GetString(o, "callback_id");
  m.sent_at = GetInt(o, "sent_at");
  // An array of attachments; rows stored before several were possible hold one object.
  const auto read_media = [&](const bj::object& mo) {
    const bj::value* voice = mo.if_contains("voice");
    Media item;
    item.provider_media_id = GetString(mo, "provider_media_id");
    item.kind = MessageTypeFromName(GetString(mo, "kind")).value_or(m.type);
    item.mime_type = GetString(mo, "mime_type");
    item.sha256 = GetString(mo, "sha256");
    item.filename = GetString(mo, "filename");
    item.voice = voice != nullptr && voice->is_bool() && voice->get_bool();
    item.size_bytes = GetInt(mo, "size_bytes");
    const bj::value* too_large = mo.if_contains("too_large");
    item.too_large = too_large != nullptr && too_large->is_bool() && too_large->get_bool();
    m.media.push_back(std::move(item));
  };
  if (const auto* media = o.if_contains("media"); media != nullptr) {
    if (media->is_object()) read_media(media->get_object());
    if (media->is_array()) {
      for (const bj::value& item : media->get_array()) {
        if (item.is_object()) read_media(item.get_object());
      }
    }
  }
  if (const auto* location = o.if_contains("location");
      location != nullptr && location->is_object()) {
    const bj::object& lo = location->get_object();
    m.location = GeoPoint{GetDouble(lo, "latitude"), GetDouble(lo, "longitude"),
                          GetString(lo, "name"), GetString(lo, "address")};
  }
  return m;
}

std::string EncodeUpdate(const DeliveryUpdate& u) {
  bj::object object;
  object["channel"] = u.channel;
  object["provider_message_id"] = u.provider_message_id;
  if (!u.recipient_id.empty()) object["recipient_id"] = u.recipient_id;
  if (u.watermark != 0) object["watermark"] = u.watermark;
  object["state"] = DeliveryStateName(u.state);
  object["at"] = u.at;
  object["error_code"] = u.error_code;
  object["error_title"] = u.error_title;
  if (u.recipient_unreachable) object["recipient_unreachable"] = true;
  return bj::serialize(object);
}

Result<DeliveryUpdate> DecodeUpdate(std::string_view json) {
  auto parsed = ParseObject(json);
  if (!parsed) {
    return parsed.error();
  }
  const bj::object& o = *parsed;
  DeliveryUpdate u;
  u.channel = GetString(o, "channel");
  u.provider_message_id = GetString(o, "provider_message_id");
  u.recipient_id = GetString(o, "recipient_id");
  u.watermark = GetInt(o, "watermark");
  const auto state = DeliveryStateFromName(GetString(o, "state"));
  if (!state) {
    return MakeError(Errc::kInternal, "inbox payload has an unknown delivery state");
  }
  u.state = *state;
  u.at = GetInt(o, "at");
  u.error_code = GetString(o, "error_code");
  u.error_title = GetString(o, "error_title");
  const bj::value* unreachable = o.if_contains("recipient_unreachable");
  u.recipient_unreachable = unreachable != nullptr && unreachable->is_bool() && unreachable->get_bool();
  return u;
}

std::string EncodeUnhandled(const UnhandledUpdate& update) {
  return bj::serialize(bj::object{{"reason", update.reason}});
}

std::string DecodeUnhandledReason(std::string_view json) {
  auto parsed = ParseObject(json);
  return parsed ? GetString(*parsed, "reason") : std::string();
}

}  // namespace sac::intake
