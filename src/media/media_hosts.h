// Which hosts a media file may be downloaded from. Each channel names its provider's CDNs
// (channels/*/LocateMedia); an Open311 app's photos may come only from the hosts the municipality
// registered in `[channels.open311] media_hosts`. Checked when a request names a photo and again
// by the fetcher at every redirect (src/media/media_fetcher.cc), before any connection.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sac::media {

// True when `host` (lower case) is one of `allowed`: an exact name ("api.twilio.com") or, for an
// entry that starts with a dot (".fbcdn.net"), any name below it. An empty list allows nothing.
bool HostAllowed(std::string_view host, const std::vector<std::string>& allowed);

// True when `url` is an https URL, at most 2,048 bytes, whose host `HostAllowed` allows.
bool HttpsUrlOnAllowedHost(std::string_view url, const std::vector<std::string>& allowed);

// Each entry a lower-case DNS name or a dot and one ("media.mazatlan.gob.mx", ".mazatlan.gob.mx"):
// no scheme, port, path or wildcard, and a suffix entry of at least two labels (".com" would let
// in any host of a whole top-level domain).
Status CheckHostList(const std::vector<std::string>& entries);

}  // namespace sac::media
