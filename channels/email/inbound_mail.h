// A parsed mail → what the inbox stores: one citizen message (text, threading, attachments as
// content-addressed files), or, for a bounce of one of our replies, one delivery update. The
// decisions of the e-mail channel live here (CHANNEL.md explains each). Pure: no I/O.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "channels/email/mime_mail.h"
#include "core/inbound.h"

namespace sac::channels::email {

inline constexpr std::string_view kChannelName = "email";

// What the channel knows about itself.
struct OwnMailbox {
  std::string address;  // our From address: mail from it is our own coming back (a loop)
  std::string domain;   // its domain: our Message-IDs end in "@<domain>"
};

// What one received mail puts in the inbox, and what must be stored or checked with it.
struct ReceivedMail {
  ParsedWebhook parsed;            // one message, or one delivery update
  std::vector<std::string> files;  // attachment bytes, one per stored parsed.messages[0].media
  std::string replay_token;        // Mailgun's token: refused when seen before
};

// `fallback_id`: the dedupe key when the mail has no usable Message-ID ("sha256:<hex>" of the raw
// message, or the provider's own id).
ReceivedMail ToReceivedMail(ParsedMail mail, const std::string& fallback_id, const OwnMailbox& own);

// "sha256:<hex>" of a raw message: its dedupe key when it has no Message-ID.
std::string RawMessageId(std::string_view raw);

// The petition text: the subject (unless it says nothing or only repeats a thread's), a blank
// line, and the body without quotes, signature and footers. At most kMaxTextBytes.
inline constexpr std::size_t kMaxTextBytes = 16 * 1024;
std::string PetitionText(std::string_view subject, std::string_view body);

// Whether a subject is a reply's ("Re:", "RE:", "Fwd:", "RV:", ...).
bool IsReplySubject(std::string_view subject);

// The folio in a plus address (boleta+2026-000123@…, boleta+MZT-2026-000123@…), "2026-000123".
std::string PlusAddressFolio(const std::vector<std::string>& recipients);

}  // namespace sac::channels::email
