// Meta's webhook subscription handshake (WhatsApp Cloud API, Messenger, Instagram):
// GET <callback>?hub.mode=subscribe&hub.verify_token=<ours>&hub.challenge=<n> must answer the
// challenge verbatim, and only to someone who knows the verify token.
#pragma once

#include <string_view>

#include "core/http_message.h"

namespace sac::channels {

// 200 with the challenge when the mode is "subscribe" and the token matches (constant-time);
// 403 otherwise (also when our token is empty: an unset secret must not match an empty one);
// 400 when the query cannot be decoded.
HttpResponse AnswerHubChallenge(const HttpRequest& request, std::string_view verify_token);

}  // namespace sac::channels
