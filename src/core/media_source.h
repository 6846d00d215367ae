// Where a provider's media file can be downloaded from (see src/media/media_fetcher.h, which
// enforces it): the URL, the credentials for the first host only, and the hosts it may come from.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace sac {

struct MediaSource {
  std::string url;
  // Sent to the first host only (a bearer token or Basic auth); never to a host a redirect
  // leads to.
  std::vector<std::pair<std::string, std::string>> headers;
  // Hosts media may come from: "api.twilio.com", or ".fbcdn.net" for any subdomain (see
  // src/media/media_hosts.h). Empty: none.
  std::vector<std::string> allowed_hosts;
};

}  // namespace sac
