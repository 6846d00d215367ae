// How much MIME structure a mail may have before it is refused unread. A MIME bomb (a thousand
// nested multiparts, a hundred thousand empty parts) costs a full parser time and memory in
// proportion to its structure, not its size; this scan finds one in a single pass over the bytes,
// with a boundary stack never deeper than the limit, before GMime builds anything.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace sac::channels::email {

struct MimeLimits {
  std::size_t max_bytes = 25 * 1024 * 1024;
  int max_depth = 10;   // nested multiparts and attached messages below the top-level message
  int max_parts = 100;  // entities in all, the message itself included
};

// Errors of mail refused for its size or structure start with this (answered 413 over HTTP,
// quarantined by `sac ingest-mail`).
inline constexpr std::string_view kOverLimits = "over the MIME limits: ";
bool IsOverLimits(const Error& error);

// kInvalidArgument (message starting with kOverLimits) when `raw` is bigger, deeper or has more
// parts than `limits` allow. Approximate in the parser's favour: what it counts, GMime counts at
// least as much, and the parsed tree is checked again afterwards.
Status CheckMimeStructure(std::string_view raw, const MimeLimits& limits);

// The first bytes of a mail too big to keep whole (`sac ingest-mail` reads only max_bytes of it)
// as a well-formed mail of the parts they hold whole: the part the bytes ran out in is left out
// and every multipart still open is closed. The text usually comes before the attachments, so a
// petition with a 40 MB video keeps its words. kInvalidArgument when the bytes ran out before
// any multipart's first part (a single-part mail, or cut in its headers), or over the structure
// limits.
Result<std::string> WholePartsOf(std::string_view prefix, const MimeLimits& limits);

}  // namespace sac::channels::email
