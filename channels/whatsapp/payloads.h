// WhatsApp Cloud API webhook payloads → provider-neutral ParsedWebhook. Pure: no I/O, no clock.
// Format: https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/
#pragma once

#include <string_view>

#include "core/inbound.h"
#include "core/result.h"

namespace sac::channels::whatsapp {

inline constexpr std::string_view kChannelName = "whatsapp";

// `phone_number_id`: our number. Changes addressed to another number are skipped (not ours to
// answer); empty accepts every number. kInvalidArgument when the body is not a WhatsApp Business
// Account notification.
Result<ParsedWebhook> ParseWebhook(std::string_view body, std::string_view phone_number_id);

// The provider message id out of a send-API success answer, if present.
std::optional<std::string> ParseSendResponseId(std::string_view body);

// The download URL out of a media lookup answer ({"url": "...", "mime_type": ...}), if present.
std::optional<std::string> ParseMediaUrl(std::string_view body);

// The Graph API error code out of an error answer ({"error":{"code":130429,...}}), if present.
std::optional<std::int64_t> ParseErrorCode(std::string_view body);

}  // namespace sac::channels::whatsapp
