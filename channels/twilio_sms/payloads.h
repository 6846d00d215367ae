// Twilio Programmable Messaging webhooks (SMS and MMS in, status callbacks) → provider-neutral
// ParsedWebhook, and the Messages API's answers. Pure: no I/O, no clock.
// Format: https://www.twilio.com/docs/messaging/guides/webhook-request
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/inbound.h"
#include "core/result.h"

namespace sac::channels::twilio_sms {

inline constexpr std::string_view kChannelName = "twilio_sms";
inline constexpr std::string_view kMessagesPath = "/webhooks/twilio/sms";
inline constexpr std::string_view kStatusPath = "/webhooks/twilio/status";

using FormParams = std::vector<std::pair<std::string, std::string>>;

// An incoming message's form (kMessagesPath). kInvalidArgument without MessageSid or From.
Result<ParsedWebhook> ParseIncoming(const FormParams& form);

// A status callback's form (kStatusPath). Intermediate states (queued, accepted, sending) parse
// to nothing. kInvalidArgument without MessageSid or MessageStatus.
Result<ParsedWebhook> ParseStatus(const FormParams& form);

// The signed string: the public URL Twilio called, then every parameter's name and value,
// sorted by name (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
std::string SignedString(std::string_view url, FormParams form);

// A Messages API answer: the new message's sid, or the error's code and message.
struct ApiAnswer {
  std::string sid;
  int code = 0;  // Twilio error code, e.g. 21610 (the recipient replied STOP)
  std::string message;
};
ApiAnswer ParseApiAnswer(std::string_view body);

}  // namespace sac::channels::twilio_sms
