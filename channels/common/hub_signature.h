// Meta's webhook signature (WhatsApp Cloud API, Messenger, Instagram):
// X-Hub-Signature-256: sha256=<lowercase hex HMAC-SHA256(app secret, exact raw body)>.
#pragma once

#include <string_view>

#include "core/http_message.h"
#include "core/result.h"

namespace sac::channels {

// kUnauthenticated when the header is missing, repeated, malformed or wrong. The comparison is
// constant-time; nothing about the expected value is logged or returned.
Status VerifyHubSignature(const HttpRequest& request, std::string_view app_secret);

}  // namespace sac::channels
