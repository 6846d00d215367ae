// Telegram Bot API updates → provider-neutral ParsedWebhook, and the Bot API's answers. Pure: no
// I/O, no clock. Format: https://core.telegram.org/bots/api#update
//
// Ids: Telegram numbers messages per chat, so a message's provider id is "<chat id>:<message id>"
// (the inbox dedupe key, and what an edit or a button tap refers to). Replies go to the chat id.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/inbound.h"
#include "core/result.h"

namespace sac::channels::telegram {

inline constexpr std::string_view kChannelName = "telegram";

// `bot_id`: our bot (the digits before ':' in its token), recorded as the account. One update
// per call; updates that are not citizen traffic (channel posts, group messages, inline queries,
// other bots) parse to nothing. kInvalidArgument when the body is not a Telegram Update.
Result<ParsedWebhook> ParseUpdate(std::string_view body, std::string_view bot_id);

// "<chat id>:<message id>" of the message a sendMessage call created, if it succeeded.
std::optional<std::string> ParseSentMessageId(std::string_view body);

// result.file_path of a successful getFile answer.
std::optional<std::string> ParseFilePath(std::string_view body);

// The error of a failed call: {"ok":false,"error_code":429,"description":...,
// "parameters":{"retry_after":7}}.
struct ApiError {
  int code = 0;
  std::string description;
  std::optional<std::chrono::seconds> retry_after;
};
std::optional<ApiError> ParseApiError(std::string_view body);

}  // namespace sac::channels::telegram
