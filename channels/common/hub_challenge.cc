#include "channels/common/hub_challenge.h"

#include "crypto/digest.h"
#include "http/query.h"

namespace sac::channels {

HttpResponse AnswerHubChallenge(const HttpRequest& request, std::string_view verify_token) {
  auto params = http::ParseQuery(request.query);
  if (!params) {
    return HttpResponse::Text(400, "malformed query\n");
  }
  const auto get = [&](std::string_view key) -> std::string_view {
    const auto found = params->find(key);
    return found == params->end() ? std::string_view() : std::string_view(found->second);
  };
  const std::string_view challenge = get("hub.challenge");
  // The challenge is echoed into our response: keep it short, as Meta's (a number) always is.
  if (get("hub.mode") != "subscribe" || verify_token.empty() ||
      !crypto::ConstantTimeEquals(get("hub.verify_token"), verify_token) || challenge.empty() ||
      challenge.size() > 256) {
    return HttpResponse::Text(403, "forbidden\n");
  }
  return HttpResponse::Text(200, std::string(challenge));
}

}  // namespace sac::channels
