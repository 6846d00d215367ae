// A raw RFC 5322 message → a provider-neutral ParsedMail, with GMime. Every way mail reaches SAC
// (Postfix's pipe, raw MIME over HTTP, SES) ends here, and so do the header blocks Mailgun and
// SendGrid hand over, so threading, charsets and automatic-reply detection are decided in one
// place. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "channels/email/mime_limits.h"
#include "core/result.h"

namespace sac::channels::email {

struct Attachment {
  std::string filename;   // as the sender named it, without any path; may be empty
  std::string mime_type;  // lower case, e.g. "image/png"
  std::string bytes;      // decoded content
};

// A delivery status notification (RFC 3464, inside multipart/report) about a message we sent.
struct Bounce {
  std::string original_message_id;  // without <>; empty when the report does not say
  std::string action;               // "failed", "delayed", "delivered", "relayed", "expanded"
  std::string status;               // RFC 3463 code, e.g. "5.1.1"
};

struct ParsedMail {
  std::string message_id;               // without <>; empty when missing or unusable as an id
  std::string in_reply_to;              // without <>
  std::vector<std::string> references;  // without <>, oldest first
  std::string from_address;             // lower case
  std::string from_name;                // decoded display name
  std::string subject;                  // decoded, one line
  std::vector<std::string> recipients;  // To, Cc, Delivered-To, X-Original-To (lower case)
  std::string text;                     // the body as text (HTML converted), quotes still in
  bool text_from_html = false;
  std::vector<Attachment> attachments;
  // Why a machine wrote it (e.g. "Auto-Submitted: auto-replied"), when one did: such mail must
  // never create a boleta nor be answered (mail loops).
  std::optional<std::string> automatic;
  std::optional<Bounce> bounce;
  std::int64_t date = 0;  // unix seconds; 0 when missing or unreadable
};

// kInvalidArgument when the bytes are not a mail SAC can use (no sender address), or when they
// are over `limits` (the message then starts with kOverLimits). Never throws, whatever the input.
Result<ParsedMail> ParseMime(std::string_view raw, const MimeLimits& limits = {});

// Only the header block of a message (Mailgun's message-headers, SendGrid's headers field): the
// same fields, no body. A missing From is not an error here; the provider names the sender.
ParsedMail ParseMailHeaders(std::string_view header_block);

// A Message-ID fit to be a dedupe key and to go back in our In-Reply-To: printable ASCII without
// spaces or angle brackets, at most 250 characters. "" otherwise.
std::string UsableMessageId(std::string_view id);

}  // namespace sac::channels::email
