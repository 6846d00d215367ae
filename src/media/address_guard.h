// Which network addresses SAC may fetch media from. Provider webhooks name URLs (Meta's CDN,
// Twilio's media, an Open311 app's media_url); a hostile one could point at the machine itself
// or the municipality's internal network (SSRF). Only globally routable unicast addresses pass.
#pragma once

#include <sys/socket.h>

namespace sac::media {

// False for loopback, private (10/8, 172.16/12, 192.168/16, fc00::/7), link-local (169.254/16 —
// cloud metadata — and fe80::/10), shared (100.64/10), unspecified, broadcast, multicast and
// reserved ranges, and for IPv6 forms that embed such an IPv4 (::ffff:a.b.c.d, ::a.b.c.d,
// 64:ff9b::/96, 2002::/16).
bool IsPublicAddress(const sockaddr* address);

}  // namespace sac::media
