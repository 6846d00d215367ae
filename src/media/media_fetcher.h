// Downloads one media file a provider told us about, defensively: https only, only from the
// hosts the provider serves media from, never from a non-public address (checked on the address
// actually connected to, so DNS tricks do not help), redirects followed by hand and checked again,
// a size cap enforced while reading, and one deadline for the whole transfer.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "core/media_source.h"
#include "core/result.h"

namespace sac::media {

struct FetchLimits {
  std::size_t max_bytes = 25 * 1024 * 1024;
  std::chrono::milliseconds timeout{30000};
  int max_redirects = 5;
  // Tests only: fake providers listen on http://127.0.0.1.
  bool allow_private_addresses = false;
};

struct FetchedMedia {
  std::string bytes;
  std::string content_type;  // as the server said, without parameters
};

// Errors: kPermissionDenied when the URL, a redirect or the address is not allowed (never
// retried: the attachment is "blocked"); kInvalidArgument when it is larger than the cap or the
// URL is malformed; kNotFound when the server refuses for good (404/410: media ids expire;
// 401/403); kUnavailable or kTimeout for everything worth retrying (connection failures, 5xx,
// 429, slowness).
Result<FetchedMedia> FetchMedia(const MediaSource& source, const FetchLimits& limits);

// FetchMedia's refusal of a file larger than the cap — also a channel's, when its provider says
// a file is too big to hand over —, and the test for it (never retried: it will not shrink).
Error TooLargeError();
bool IsTooLarge(const Error& error);

}  // namespace sac::media
