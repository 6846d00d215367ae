#include "channels/twilio_sms/payloads.h"

#include <algorithm>
#include <charconv>
#include <map>

#include "channels/common/mx_phone.h"
#include "json/reader.h"

namespace sac::channels::twilio_sms {
namespace {

// Twilio sends at most 10 media per MMS; anything beyond is not Twilio's.
constexpr int kMaxMedia = 10;

Error Malformed(std::string what) {
  return MakeError(Errc::kInvalidArgument, "not a Twilio webhook: " + what);
}

// First value of each name; Twilio never repeats one.
std::map<std::string, std::string, std::less<>> ByName(const FormParams& form) {
  std::map<std::string, std::string, std::less<>> values;
  for (const auto& [name, value] : form) values.emplace(name, json::CleanText(value));
  return values;
}

std::string Get(const std::map<std::string, std::string, std::less<>>& values, std::string_view name) {
  const auto found = values.find(name);
  return found == values.end() ? std::string() : found->second;
}

MessageType KindOf(std::string_view mime) {
  if (mime.rfind("image/", 0) == 0) return MessageType::kImage;
  if (mime.rfind("audio/", 0) == 0) return MessageType::kAudio;
  if (mime.rfind("video/", 0) == 0) return MessageType::kVideo;
  return MessageType::kDocument;
}

}  // namespace

Result<ParsedWebhook> ParseIncoming(const FormParams& form) {
  const auto values = ByName(form);
  InboundMessage message;
  message.channel = std::string(kChannelName);
  message.external_id = Get(values, "MessageSid");
  message.sender_id = Get(values, "From");
  message.account_id = Get(values, "To");
  if (message.external_id.empty() || message.sender_id.empty()) {
    return Malformed("MessageSid or From missing");
  }
  message.sender_phone = NormalizePhone(message.sender_id).value_or("");
  message.text = Get(values, "Body");
  message.type = MessageType::kText;

  // Advanced Opt-Out: Twilio itself stops delivering after STOP and says so in OptOutType.
  const std::string opt_out = Get(values, "OptOutType");
  if (opt_out == "STOP") {
    message.type = MessageType::kBlocked;
  } else if (opt_out == "START") {
    message.type = MessageType::kUnblocked;
  }

  int media_count = 0;
  const std::string num_media = Get(values, "NumMedia");
  if (!num_media.empty()) {
    const auto [end, error] =
        std::from_chars(num_media.data(), num_media.data() + num_media.size(), media_count);
    if (error != std::errc() || end != num_media.data() + num_media.size() || media_count < 0 ||
        media_count > kMaxMedia) {
      return Malformed("NumMedia is not a count from 0 to 10");
    }
  }
  for (int i = 0; i < media_count; ++i) {
    Media media;
    media.provider_media_id = Get(values, "MediaUrl" + std::to_string(i));
    media.mime_type = Get(values, "MediaContentType" + std::to_string(i));
    if (media.provider_media_id.empty()) return Malformed("a MediaUrl is missing");
    media.kind = KindOf(media.mime_type);
    if (message.type == MessageType::kText) message.type = media.kind;  // the first one's
    message.media.push_back(std::move(media));
  }
  ParsedWebhook parsed;
  parsed.messages.push_back(std::move(message));
  return parsed;
}

Result<ParsedWebhook> ParseStatus(const FormParams& form) {
  const auto values = ByName(form);
  const std::string sid = Get(values, "MessageSid");
  const std::string status = Get(values, "MessageStatus");
  if (sid.empty() || status.empty()) return Malformed("MessageSid or MessageStatus missing");
  ParsedWebhook parsed;
  std::optional<DeliveryState> state;
  if (status == "sent") state = DeliveryState::kSent;
  if (status == "delivered") state = DeliveryState::kDelivered;
  if (status == "read") state = DeliveryState::kRead;
  if (status == "undelivered" || status == "failed") state = DeliveryState::kFailed;
  if (!state) return parsed;  // queued, accepted, scheduled, sending, canceled...
  DeliveryUpdate update;
  update.channel = std::string(kChannelName);
  update.provider_message_id = sid;
  update.recipient_id = Get(values, "To");  // places news of a send whose answer was lost
  update.state = *state;
  update.error_code = Get(values, "ErrorCode");
  if (*state == DeliveryState::kFailed) update.error_title = status;
  parsed.updates.push_back(std::move(update));
  return parsed;
}

std::string SignedString(std::string_view url, FormParams form) {
  std::stable_sort(form.begin(), form.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string signed_string(url);
  for (const auto& [name, value] : form) signed_string += name + value;
  return signed_string;
}

ApiAnswer ParseApiAnswer(std::string_view body) {
  ApiAnswer answer;
  auto root = json::Parse(body);
  if (!root) return answer;
  answer.sid = json::String(*root, "sid").value_or("");
  answer.code = static_cast<int>(json::Integer(*root, "code").value_or(0));
  answer.message = json::CleanText(json::String(*root, "message").value_or(""));
  return answer;
}

}  // namespace sac::channels::twilio_sms
