// The part of a mail body the citizen actually wrote this time. Replies carry the whole thread
// below a quote header ("El mar, 10 mar 2026 a las 10:02, … escribió:", "On … wrote:",
// "-----Mensaje original-----", Outlook's "De: / Enviado: / Para:" block), quoted "> " lines, a
// "-- " signature and a mobile footer ("Enviado desde mi iPhone"); a note on the boleta should
// hold only the new words. The raw message is kept in the inbox, so nothing is lost.
#pragma once

#include <string>
#include <string_view>

namespace sac::channels::email {

// `text` is UTF-8 with LF line ends. Everything from the first quote header, signature separator
// or mobile footer on is dropped, and so are "> " lines above it. When that would leave nothing
// (a message that is all quote), the text comes back unchanged but trimmed.
std::string StripQuotedReply(std::string_view text);

}  // namespace sac::channels::email
