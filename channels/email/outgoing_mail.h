// The RFC 5322 message of a reply to a citizen: threaded to their mail (In-Reply-To, References),
// with the folio in the subject, marked Auto-Submitted (RFC 3834) so robots do not answer it, in
// UTF-8 quoted-printable. Header values are built only from checked addresses, our own ids and
// RFC 2047 words, so no CR or LF from anywhere can start a header of its own (header injection).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace sac::channels::email {

struct OutgoingMail {
  std::string from_address;
  std::string from_name;
  std::string to;           // must pass IsMailAddress
  std::string subject;      // any text: encoded as needed, line breaks become spaces
  std::string message_id;   // without <>
  std::string in_reply_to;  // without <>; "" when not answering a mail
  std::string text;         // UTF-8
  TimePoint date;
};

std::string BuildMail(const OutgoingMail& mail);

// "Folio 2026-000123 - <name>" (with "Re: " when answering a mail); just `name` without a folio.
std::string ReplySubject(std::string_view folio, std::string_view name, bool answering);

// "sac.<outbox id>.<key>@<domain>": unguessable (the key is the outbox row's random idempotency
// key), so a forged bounce cannot name it; the same on every attempt at the row, so a resend
// after a crash is the same message to the citizen's mail program; recognisable when the
// citizen's reply quotes it. Without a key, a random one.
std::string MessageIdFor(std::int64_t outbox_id, std::string_view idempotency_key,
                         std::string_view domain);

// One plain addr-spec (local@domain) with nothing that could break a header or an SMTP command.
bool IsMailAddress(std::string_view address);

// "example.org" of "someone@example.org"; "" when there is no '@'.
std::string DomainOf(std::string_view address);

// Whether a stored id can go back in In-Reply-To: a Message-ID (with '@'), not our
// "sha256:…" key of a mail that had none.
bool IsThreadableId(std::string_view id);

// RFC 2047 encoded words (UTF-8, base64) for text that is not plain printable ASCII, folded;
// the text itself otherwise. Never contains CR or LF except as folding ("\r\n ").
std::string EncodeHeaderText(std::string_view text);

// Quoted-printable (RFC 2045 §6.7) with CRLF line ends and lines of at most 76 characters.
std::string QuotedPrintable(std::string_view text);

}  // namespace sac::channels::email
