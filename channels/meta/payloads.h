// Messenger (Page) and Instagram webhooks → provider-neutral ParsedWebhook, and the Send API's
// answers. One parser for both products: Instagram's `messaging[]` events are Messenger's, with
// Instagram-scoped ids. Pure: no I/O, no clock.
// Format: https://developers.facebook.com/docs/messenger-platform/reference/webhook-events
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "channels/meta/product.h"
#include "core/inbound.h"
#include "core/result.h"

namespace sac::channels::meta {

// `account_id`: our Page / Instagram account (`entry[].id`); entries for other accounts are
// skipped, empty accepts every account. Echoes of our own messages, reactions, referrals,
// opt-ins, story mentions and events newer than this parser parse to nothing. kInvalidArgument
// when the body is not a `product.object` notification, or an event we read lacks its ids or
// carries impossible coordinates.
Result<ParsedWebhook> ParseWebhook(std::string_view body, const Product& product,
                                   std::string_view account_id);

// Whether a postback's payload is the one of the "Get Started" button (any case).
bool IsGetStartedPayload(std::string_view payload);

// The message id out of a Send API success answer ({"recipient_id":…,"message_id":…}).
std::optional<std::string> ParseSendResponseId(std::string_view body);

// A Graph API error answer: {"error":{"message":…,"code":551,"error_subcode":1545041,…}}. Only
// the numbers: the message is free text we neither log nor store.
struct GraphError {
  std::int64_t code = 0;
  std::int64_t subcode = 0;
};
std::optional<GraphError> ParseGraphError(std::string_view body);

}  // namespace sac::channels::meta
